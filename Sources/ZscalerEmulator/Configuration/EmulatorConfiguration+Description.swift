extension EmulatorConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// One `key = value` line per setting, in the order of ``keys``, secrets `<redacted>`: what
    /// `zscaler-emulator serve --print-config` shows, and safe to log.
    public var description: String { Self.keys.map { "\($0.path) = \($0.render(self))" }.joined(separator: "\n") }

    public var debugDescription: String { description }
}
