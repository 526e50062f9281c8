import Testing

@testable import ZscalerAPI

@Suite("Rate limiter (test clock)")
struct RateLimiterTests {
    static let writer = MethodClass.write

    func limiter(_ windows: [RateLimitWindow], clock: TestClock) -> RateLimiter {
        RateLimiter(policy: RateLimitPolicy(windows: [Self.writer: windows], margin: 0), clock: clock.clientClock)
    }

    @Test("grants up to the limit at once, then waits until a token returns one period after its call finished")
    func burstThenWait() async throws {
        let clock = TestClock()
        let limiter = limiter([.init(2, per: .seconds(1))], clock: clock)
        let a = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
        let b = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
        #expect(a.waited == .zero && b.waited == .zero)
        clock.advance(by: .milliseconds(300))
        await limiter.finish(a)
        await limiter.finish(b)
        let third = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .milliseconds(1300))
        clock.advance(by: .seconds(1))
        let permit = try await third.value
        #expect(permit.waited == .seconds(1))
    }

    @Test("a token still in flight is not returned by time alone")
    func inFlightBlocks() async throws {
        let clock = TestClock()
        let limiter = limiter([.init(1, per: .seconds(1))], clock: clock)
        let first = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
        let granted = Locked(false)
        let second = Task {
            let permit = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
            granted.withLock { $0 = true }
            return permit
        }
        clock.advance(by: .seconds(5))
        for _ in 0..<50 { await Task.yield() }
        let grantedEarly = granted.value
        #expect(!grantedEarly, "granted while the only token was in flight")
        await limiter.finish(first)  // finished at t = 5 s: the token is back at 6 s
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(6))
        clock.advance(by: .seconds(1))
        _ = try await second.value
        let grantedAtLast = granted.value
        #expect(grantedAtLast)
    }

    @Test("afterSend: a token comes back one period after it was granted, answered or not")
    func afterSend() async throws {
        let clock = TestClock()
        let limiter = RateLimiter(
            policy: RateLimitPolicy(windows: [Self.writer: [.init(1, per: .seconds(1))]], margin: 0, tokenReturn: .afterSend),
            clock: clock.clientClock)
        let first = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
        let second = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(1), "not waiting for the first call to finish")
        clock.advance(by: .seconds(1))
        #expect(try await second.value.waited == .seconds(1))
        await limiter.finish(first)  // finishing late changes nothing
        let third = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(2))
        clock.advance(by: .seconds(1))
        _ = try await third.value
    }

    @Test("the hourly cap holds, and a wait longer than allowed fails at once with retryAfter")
    func hourlyCap() async throws {
        let clock = TestClock()
        let limiter = limiter([.perSecond(10), .perHour(3)], clock: clock)
        for _ in 0..<3 { await limiter.finish(try await limiter.acquire(Self.writer, maximumWait: .seconds(60))) }
        do {
            _ = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
            Issue.record("a fourth call within the hour was granted")
        } catch {
            #expect(error.kind == .hourlyBudgetExhausted)
            #expect(error.retryAfter == .seconds(3600))
        }
        let patient = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(7200)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(3600))
        clock.advance(by: .seconds(3600))
        #expect(try await patient.value.waited == .seconds(3600))
    }

    @Test("Retry-After becomes a floor for the whole class")
    func floor() async throws {
        let clock = TestClock()
        let limiter = limiter([.perSecond(10)], clock: clock)
        await limiter.imposeFloor(.seconds(30), on: Self.writer)
        let waiting = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(30))
        clock.advance(by: .seconds(30))
        #expect(try await waiting.value.waited == .seconds(30))
        // A shorter floor never shortens a longer one.
        await limiter.imposeFloor(.seconds(20), on: Self.writer)
        await limiter.imposeFloor(.seconds(5), on: Self.writer)
        let next = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        try await clock.waitForSleepers(1)
        #expect(clock.nextDeadline == .seconds(50))
        clock.advance(by: .seconds(20))
        _ = try await next.value
    }

    @Test("classes are independent; aliased classes share one budget")
    func classes() async throws {
        let clock = TestClock()
        let shared = RateLimiter(policy: .zpaSCIM, clock: clock.clientClock)
        for methodClass in [MethodClass.list, .read, .write, .delete, .write] {
            await shared.finish(try await shared.acquire(methodClass, maximumWait: .zero))
        }
        await #expect(throws: ZscalerAPIError.self) { try await shared.acquire(.read, maximumWait: .zero) }

        let zia = RateLimiter(policy: .zia, clock: clock.clientClock)
        _ = try await zia.acquire(.write, maximumWait: .zero)
        _ = try await zia.acquire(.read, maximumWait: .zero)
        _ = try await zia.acquire(.bulkDelete, maximumWait: .zero)
        await #expect(throws: ZscalerAPIError.self) { try await zia.acquire(.write, maximumWait: .zero) }
        // An unlimited class (the token endpoint) never waits.
        for _ in 0..<100 { _ = try await zia.acquire(.token, maximumWait: .zero) }
    }

    @Test("waiters are served in arrival order")
    func fifo() async throws {
        let clock = TestClock()
        let limiter = limiter([.perSecond(1)], clock: clock)
        await limiter.finish(try await limiter.acquire(Self.writer, maximumWait: .seconds(60)))
        let order = Locked<[Int]>([])
        var tasks: [Task<Void, any Error>] = []
        for index in 0..<4 {
            tasks.append(
                Task {
                    let permit = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
                    order.withLock { $0.append(index) }
                    await limiter.finish(permit)
                })
            // Make sure each has queued before the next arrives.
            if index == 0 { try await clock.waitForSleepers(1) } else { for _ in 0..<20 { await Task.yield() } }
        }
        for _ in 0..<40 {
            if order.value.count == 4 { break }
            try await clock.waitForSleepers(1, timeout: .seconds(2))
            clock.advanceToNextDeadline()
            for _ in 0..<20 { await Task.yield() }
        }
        for task in tasks { try await task.value }
        #expect(order.value == [0, 1, 2, 3])
    }

    @Test("a cancelled waiter leaves the queue and the next one is served")
    func cancellation() async throws {
        let clock = TestClock()
        let limiter = limiter([.perSecond(1)], clock: clock)
        let held = try await limiter.acquire(Self.writer, maximumWait: .seconds(60))
        let cancelled = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        for _ in 0..<50 { await Task.yield() }
        let next = Task { try await limiter.acquire(Self.writer, maximumWait: .seconds(60)) }
        for _ in 0..<50 { await Task.yield() }
        cancelled.cancel()
        do {
            _ = try await cancelled.value
            Issue.record("a cancelled waiter was granted")
        } catch let error as ZscalerAPIError {
            #expect(error.kind == .cancelled)
        }
        await limiter.finish(held)
        try await clock.waitForSleepers(1)
        clock.advance(by: .seconds(1))
        _ = try await next.value
    }

    @Test("no window of the period can see more than the limit, wherever the server stamps a call")
    func slidingWindowInvariant() async throws {
        // Real clock, short period: workers run flat out with random latency; the check is on the
        // recorded send/receive instants, not on timing, so it cannot flake.
        let period = Duration.milliseconds(20)
        let limit = 3
        let limiter = RateLimiter(policy: RateLimitPolicy(windows: [Self.writer: [.init(limit, per: period)]], margin: 0))
        let origin = ContinuousClock.now
        let calls = Locked<[Call]>([])
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    for _ in 0..<8 {
                        let permit = try await limiter.acquire(Self.writer, maximumWait: .seconds(10))
                        let sent = ContinuousClock.now - origin
                        try await Task.sleep(for: .microseconds(Int.random(in: 0...3000)))
                        let received = ContinuousClock.now - origin
                        await limiter.finish(permit)
                        calls.withLock { $0.append(Call(sent: sent, received: received)) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let all = calls.value
        #expect(all.count == 48)
        // Calls whose [sent, received] meets the window [t, t + period) could all be stamped inside it.
        var candidates = all.map(\.received)
        candidates += all.map { $0.sent - period + .nanoseconds(1) }
        for t in candidates {
            let inside = all.filter { $0.sent < t + period && $0.received >= t }.count
            #expect(inside <= limit, "a window starting at \(t) could hold \(inside) calls")
        }
    }
}

struct Call: Sendable {
    var sent: Duration
    var received: Duration
}

@Suite("Retry backoff")
struct RetryPolicyTests {
    @Test("equal-jitter exponential backoff, capped")
    func backoff() {
        let low = RetryPolicy(baseDelay: .milliseconds(500), maximumDelay: .seconds(4), random: { 0 })
        let high = RetryPolicy(baseDelay: .milliseconds(500), maximumDelay: .seconds(4), random: { 0.999_999_999 })
        #expect(low.backoff(retry: 1) == .milliseconds(250))
        #expect(low.backoff(retry: 2) == .milliseconds(500))
        #expect(low.backoff(retry: 3) == .seconds(1))
        #expect(low.backoff(retry: 10) == .seconds(2))
        #expect(high.backoff(retry: 1) <= .milliseconds(500) && high.backoff(retry: 1) > .milliseconds(499))
        #expect(high.backoff(retry: 50) <= .seconds(4))
        #expect(low.backoff(retry: 1, base: .seconds(2)) == .seconds(1))
    }

    @Test("scaling follows the emulator's convention: 0.01 is a hundred times faster")
    func scaling() {
        let scaled = RetryPolicy(baseDelay: .seconds(1), maximumDelay: .seconds(30), random: { 0 }).scaled(by: 0.01)
        #expect(scaled.baseDelay == .milliseconds(10))
        #expect(scaled.maximumDelay == .milliseconds(300))
        #expect(RateLimitPolicy.zia.scaled(by: 0.01).windows[.userList]?.last == .init(40, per: .seconds(36)))
    }
}
