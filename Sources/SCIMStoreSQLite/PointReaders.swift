import GRDB
import Synchronization

/// Read-only connections for reads by key (a resource by id, a user by `userName`, the groups of
/// a page's users), used on the calling thread.
///
/// GRDB's async reads hop to a reader connection's dispatch queue and back: two thread wakes per
/// read on a 2-core host, longer than an indexed read itself. A synchronous read on the pool's
/// readers is no way out: it blocks a Swift concurrency thread on the pool's semaphore, and the
/// async reads that hold the readers release them only once a concurrency thread resumes them,
/// so with every such thread blocked, nothing is ever released (seen as a hang under 16
/// connections). These connections are separate and never waited for: a read takes a free one
/// or opens one up to `limit`, and otherwise returns `nil` so the caller takes the async path.
final class PointReaders: Sendable {
    private struct State {
        var idle: [DatabaseQueue] = []
        var opened = 0
    }

    private let path: String
    private let configuration: Configuration
    private let limit: Int
    private let state = Mutex(State())

    init(path: String, configuration: Configuration, limit: Int) {
        var readOnly = configuration
        readOnly.readonly = true
        self.path = path
        self.configuration = readOnly
        self.limit = limit
    }

    /// `body`'s result on an idle connection (inside one read transaction with `transaction`),
    /// or `nil` when all `limit` connections are in use or a new one cannot be opened.
    func read<T>(transaction: Bool, _ body: (Database) throws -> T) throws -> T? {
        let taken = state.withLock { state -> (DatabaseQueue?, open: Bool) in
            if let queue = state.idle.popLast() { return (queue, false) }
            guard state.opened < limit else { return (nil, false) }
            state.opened += 1
            return (nil, true)
        }
        let queue: DatabaseQueue
        if let idle = taken.0 {
            queue = idle
        } else if taken.open {
            do {
                queue = try DatabaseQueue(path: path, configuration: configuration)
            } catch {
                // Out of file descriptors, say: the pool's readers still serve the read.
                state.withLock { $0.opened -= 1 }
                return nil
            }
        } else {
            return nil
        }
        defer { state.withLock { $0.idle.append(queue) } }
        // Nobody else holds this queue, so its `sync` runs inline on this thread.
        return try transaction ? queue.read(body) : queue.unsafeRead(body)
    }

    /// `body` on each idle connection, for tests that read a connection's own state.
    func eachIdle<T>(_ body: (Database) throws -> T) throws -> [T] {
        let idle = state.withLock { state in
            defer { state.idle.removeAll() }
            return state.idle
        }
        defer { state.withLock { $0.idle += idle } }
        return try idle.map { try $0.unsafeRead(body) }
    }
}
