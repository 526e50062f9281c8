/// The in-memory per-tenant rate budget: a ``TokenBucket`` per window of each method class, a floor per
/// class set by `Retry-After`, and a FIFO queue per class so callers are served in arrival order.
///
/// Time comes from a ``ClientClock``, so tests drive it with a manual clock and no sleeping.
public actor RateLimiter: RateLimiting {
    public nonisolated let policy: RateLimitPolicy
    private let clock: ClientClock
    private var buckets: [MethodClass: [TokenBucket]]
    private var floors: [MethodClass: Duration] = [:]
    private var queues: [MethodClass: [UInt64]] = [:]
    private var waiters: [MethodClass: [UInt64: CheckedContinuation<Void, Never>]] = [:]
    private var outstanding: [UInt64: MethodClass] = [:]
    private var nextID: UInt64 = 0
    private var granted: [MethodClass: Int] = [:]

    public init(policy: RateLimitPolicy, clock: ClientClock = .continuous) {
        self.policy = policy
        self.clock = clock
        self.buckets = policy.windows.mapValues { windows in
            windows.map { TokenBucket(window: $0, margin: policy.margin) }
        }
    }

    /// Permits granted so far, per bucket class.
    public var grantedCounts: [MethodClass: Int] { granted }

    public func acquire(_ requested: MethodClass, maximumWait: Duration) async throws(ZscalerAPIError) -> RateLimitPermit {
        let methodClass = policy.bucketClass(for: requested)
        let start = clock.now()
        nextID += 1
        let ticket = nextID
        guard buckets[methodClass] != nil else {
            granted[methodClass, default: 0] += 1
            return RateLimitPermit(id: ticket, methodClass: methodClass, waited: .zero)
        }
        let deadline = start + maximumWait
        queues[methodClass, default: []].append(ticket)
        defer {
            queues[methodClass]?.removeAll { $0 == ticket }
            wake(methodClass)
        }
        while true {
            if Task.isCancelled { throw .cancelled }
            guard queues[methodClass]?.first == ticket else {
                await waitForChange(methodClass, ticket)
                continue
            }
            let now = clock.now()
            var earliest: Duration? = nil
            if let floor = floors[methodClass], floor > now { earliest = floor }
            var waitingForFinish: Duration? = nil
            for index in buckets[methodClass, default: []].indices {
                buckets[methodClass]![index].expire(now: now)
                let bucket = buckets[methodClass]![index]
                guard bucket.available <= 0 else { continue }
                if let next = bucket.nextReturn {
                    earliest = max(earliest ?? next, next)
                } else {
                    // Every token is in flight: one returns no sooner than a period from now.
                    waitingForFinish = max(waitingForFinish ?? bucket.window.period, bucket.window.period)
                }
            }
            if earliest == nil, waitingForFinish == nil {
                for index in buckets[methodClass]!.indices {
                    buckets[methodClass]![index].take(at: now, returning: policy.tokenReturn)
                }
                outstanding[ticket] = methodClass
                granted[methodClass, default: 0] += 1
                return RateLimitPermit(id: ticket, methodClass: methodClass, waited: now - start)
            }
            let lowerBound = max(earliest ?? now, now + (waitingForFinish ?? .zero))
            if lowerBound > deadline {
                throw ZscalerAPIError(
                    .hourlyBudgetExhausted,
                    message: "the \(methodClass) budget has no token for \(lowerBound - now); the caller allows \(maximumWait)",
                    retryAfter: lowerBound - now)
            }
            if waitingForFinish != nil {
                await waitForChange(methodClass, ticket)
            } else if let earliest {
                do { try await clock.sleep(until: earliest) } catch { throw .cancelled }
            }
        }
    }

    public func finish(_ permit: RateLimitPermit) {
        guard let methodClass = outstanding.removeValue(forKey: permit.id) else { return }
        let now = clock.now()
        for index in buckets[methodClass, default: []].indices {
            buckets[methodClass]![index].finish(at: now, returning: policy.tokenReturn)
        }
        wake(methodClass)
    }

    public func imposeFloor(_ delay: Duration, on requested: MethodClass) {
        let methodClass = policy.bucketClass(for: requested)
        let until = clock.now() + delay
        floors[methodClass] = max(floors[methodClass] ?? until, until)
    }

    /// Suspends until something in `methodClass` changes (a call finished, the queue moved) or the task
    /// is cancelled.
    private func waitForChange(_ methodClass: MethodClass, _ ticket: UInt64) async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters[methodClass, default: [:]][ticket] = continuation
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(methodClass, ticket) }
        }
    }

    private func cancelWaiter(_ methodClass: MethodClass, _ ticket: UInt64) {
        waiters[methodClass]?.removeValue(forKey: ticket)?.resume()
    }

    private func wake(_ methodClass: MethodClass) {
        guard let pending = waiters.removeValue(forKey: methodClass) else { return }
        for continuation in pending.values { continuation.resume() }
    }
}
