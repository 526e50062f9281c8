/// A credential the emulator was given through its configuration: a password, an API key, a client
/// secret. Printing it — `description`, string interpolation, `dump`, a debugger — shows
/// `<redacted>`; only ``revealed`` gives the text, so a secret reaches a log or a terminal only when
/// code asks for it by name.
public struct EmulatorSecret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The secret itself, for the code that checks what clients send against it.
    public let revealed: String

    public init(_ revealed: String) { self.revealed = revealed }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    /// No children, so reflection (`dump`, `Mirror`) cannot reach the text either.
    public var customMirror: Mirror { Mirror(self, children: EmptyCollection<Mirror.Child>()) }
}
