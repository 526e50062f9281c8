import Foundation
import Testing
import ZscalerEmulator

/// Per-endpoint limits, the 429 wire format, `Retry-After`, and violation counting (§5.2).
@Suite(.serialized) struct RateLimitTests {
    @Test func secondCallWithinASecondGetsTheRecorded429() async throws {
        try await withEmulator({ $0.rateLimits.enforce = true }) { h in
            let cookie = [("Cookie", try await h.login())]
            /// Sends `count` calls back to back and returns the last answer, once they all fell
            /// inside one second (on a machine loaded by the rest of the suite, a burst can take
            /// longer than the window; such an attempt proves nothing, so it is repeated after
            /// the window has passed).
            func burst(_ paths: [String]) async throws -> Harness.Reply {
                for _ in 0..<5 {
                    let started = ContinuousClock.now
                    var last: Harness.Reply?
                    for path in paths { last = try await h.send(.GET, path, headers: cookie) }
                    if ContinuousClock.now - started < .milliseconds(900) || last?.status == 429 { return try #require(last) }
                    try await Task.sleep(for: .milliseconds(1100))
                }
                Issue.record("no burst of \(paths.count) calls fitted in a second")
                throw CancellationError()
            }
            let refused = try await burst(["/api/v1/users?pageSize=1", "/api/v1/users?pageSize=1"])
            #expect(refused.status == 429)
            #expect(refused.text == #"{"message":"Rate Limit (1/SECOND) exceeded","Retry-After":"1 seconds"}"#)
            #expect(refused.body.count == 70)
            #expect(refused.header("Retry-After") == "1")
            // Another endpoint has its own budget: GET /users/{id} is 2/s.
            let third = try await burst(["/api/v1/users/40000000", "/api/v1/users/40000001", "/api/v1/users/40000002"])
            #expect(third.status == 429)
            let counters = try await h.counters()
            #expect(counters.totals.limitViolations == 2)
            #expect(counters.routes["GET /api/v1/users"]?.tooManyRequests == 1)
            #expect((counters.routes["GET /api/v1/users/{userId}"]?.calls ?? 0) % 3 == 0)
        }
    }

    @Test func retryAfterIsScaledAndHonouringItSucceeds() async throws {
        try await withEmulator({
            $0.rateLimits.enforce = true
            $0.timeScale = 0.2
        }) { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.GET, "/api/v1/users?pageSize=1", headers: cookie).status == 200)
            let refused = try await h.send(.GET, "/api/v1/users?pageSize=1", headers: cookie)
            #expect(refused.status == 429)
            let retryAfter = try #require(Double(refused.header("Retry-After") ?? ""))
            #expect(retryAfter > 0 && retryAfter <= 0.2)
            try await Task.sleep(for: .milliseconds(Int(retryAfter * 1000) + 20))
            #expect(try await h.send(.GET, "/api/v1/users?pageSize=1", headers: cookie).status == 200)
        }
    }

    @Test func hourlyWindowReportsItsOwnLimit() async throws {
        // A custom rule: 3 per hour on GET /status; at scale 0.001 the hour is 3.6 s.
        try await withEmulator({
            $0.rateLimits.enforce = true
            $0.timeScale = 0.001
            // At this scale a 5-minute session lasts 0.3 s, less than four calls on a loaded machine.
            $0.sessions.idleTimeoutSeconds = 3_600_000
            $0.sessions.absoluteTimeoutSeconds = nil
            $0.rateLimits.zia.insert(EmulatedRateRule("GET", "/status", [.perHour(3)]), at: 0)
        }) { h in
            let cookie = [("Cookie", try await h.login())]
            for _ in 0..<3 { #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).status == 200) }
            let refused = try await h.send(.GET, "/api/v1/status", headers: cookie)
            #expect(refused.object["message"] as? String == "Rate Limit (3/HOUR) exceeded")
            let retryAfter = try #require(Double(refused.header("Retry-After") ?? ""))
            #expect(retryAfter > 3 && retryAfter <= 3.6)
        }
    }

    @Test func violationsAreCountedWhenNotEnforced() async throws {
        try await withEmulator({ $0.rateLimits.enforce = false }) { h in
            let cookie = [("Cookie", try await h.login())]
            for _ in 0..<5 { #expect(try await h.send(.GET, "/api/v1/users?pageSize=1", headers: cookie).status == 200) }
            let counters = try await h.counters()
            // 1/s: calls 2…5 in the same second would have been refused by Zscaler.
            #expect(counters.routes["GET /api/v1/users"]?.limitViolations == 4)
            #expect(counters.totals.tooManyRequests == 0)
        }
    }

    @Test func pacedClientCausesNoViolations() async throws {
        // 1 call per 15 ms against a 1/s limit scaled to 10 ms: never a violation.
        try await withEmulator({
            $0.rateLimits.enforce = true
            $0.timeScale = 0.01
            $0.rateLimits.zia.insert(EmulatedRateRule("GET", "/users/{userId}", [.perSecond(1)]), at: 0)
        }) { h in
            let cookie = [("Cookie", try await h.login())]
            for index in 0..<20 {
                #expect(try await h.send(.GET, "/api/v1/users/\(40_000_000 + index)", headers: cookie).status == 200)
                try await Task.sleep(for: .milliseconds(15))
            }
            #expect(try await h.counters().totals.limitViolations == 0)
        }
    }

    @Test func deletesAreHeavy() async throws {
        try await withEmulator({ $0.rateLimits.enforce = true }) { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.DELETE, "/api/v1/users/40000001", headers: cookie).status == 204)
            let second = try await h.send(.DELETE, "/api/v1/users/40000002", headers: cookie)
            #expect(second.status == 429 && second.object["message"] as? String == "Rate Limit (1/MINUTE) exceeded")
            #expect(Int(second.header("Retry-After") ?? "") ?? 0 >= 59)
        }
    }
}
