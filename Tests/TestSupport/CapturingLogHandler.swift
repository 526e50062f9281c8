import Logging
import Synchronization

/// A LogHandler that keeps every line it is given (message and metadata rendered as text), so tests can
/// check what a component would have written to a real log (and that no secret is in it).
public struct CapturingLogHandler: LogHandler {
    /// Lines collected across threads; also usable on its own for any line-writing callback
    /// (an access log, say).
    public final class Store: Sendable {
        private let lines = Mutex<[String]>([])
        public init() {}
        public func append(_ line: String) { lines.withLock { $0.append(line) } }
        public var all: [String] { lines.withLock { $0 } }
        public var text: String { all.joined(separator: "\n") }
    }

    public let store: Store
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace

    public init(store: Store) {
        self.store = store
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let merged = metadata.merging(event.metadata ?? [:]) { $1 }
        let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        store.append("[\(event.level)] \(event.message) \(rendered)")
    }

    /// A logger at `level` whose output lands in the returned store.
    public static func logger(level: Logger.Level = .trace) -> (Logger, Store) {
        let store = Store()
        var logger = Logger(label: "zscaler-test") { _ in CapturingLogHandler(store: store) }
        logger.logLevel = level
        return (logger, store)
    }
}
