import GRDB
import SCIMBridge
import Synchronization

/// Commits that arrive while a transaction is being written wait, and then go together in the
/// next one, each inside its own savepoint: with `synchronous = FULL` every transaction costs a
/// WAL fsync, and sixteen clients creating users at once then share one fsync instead of queueing
/// for sixteen. Each change still sees the ones before it and fails alone (its savepoint rolls
/// back; the others commit), so callers observe exactly what one transaction each would give.
final class GroupCommit: Sendable {
    struct Pending: Sendable {
        var tenantID: String
        var change: Change
        var continuation: CheckedContinuation<Result<CommitResult, StoreError>, Never>
    }

    private struct State {
        var pending: [Pending] = []
        var writing = false
    }

    /// Most changes in one transaction, so one huge burst does not hold the write lock for long.
    static let maxBatch = 64

    private let pool: DatabasePool
    private let state = Mutex(State())

    init(pool: DatabasePool) { self.pool = pool }

    func commit(tenantID: String, _ change: Change) async throws(StoreError) -> CommitResult {
        let result = await withCheckedContinuation { continuation in
            let starts = state.withLock { s -> Bool in
                s.pending.append(Pending(tenantID: tenantID, change: change, continuation: continuation))
                if s.writing { return false }
                s.writing = true
                return true
            }
            // Not tied to the caller's task: a commit that started is finished and answered even if
            // the request that asked for it gave up (its retry then meets the result).
            if starts { Task { await self.drain() } }
        }
        return try result.get()
    }

    /// Writes batches until nothing waits.
    private func drain() async {
        while true {
            let batch = state.withLock { s -> [Pending] in
                let taken = Array(s.pending.prefix(Self.maxBatch))
                s.pending.removeFirst(taken.count)
                if taken.isEmpty { s.writing = false }
                return taken
            }
            if batch.isEmpty { return }
            let changes = batch.map { ($0.tenantID, $0.change) }
            let results: [Result<CommitResult, StoreError>]
            do {
                results = try await pool.write { db in
                    changes.map { tenantID, change in
                        do {
                            var result: CommitResult?
                            try db.inSavepoint {
                                result = try SQLiteDirectoryStore.commit(db, tenantID: tenantID, change)
                                return .commit
                            }
                            return result.map { .success($0) } ?? .failure(.unavailable("the commit produced no result"))
                        } catch let error as StoreError {
                            return .failure(error)
                        } catch {
                            return .failure(.unavailable("\(error)"))
                        }
                    }
                }
            } catch {
                // The transaction itself failed (I/O, disk full): nothing in it was committed.
                results = Array(repeating: .failure(.unavailable("\(error)")), count: batch.count)
            }
            for (pending, result) in zip(batch, results) { pending.continuation.resume(returning: result) }
        }
    }
}
