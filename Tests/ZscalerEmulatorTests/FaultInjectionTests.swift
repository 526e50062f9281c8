import AsyncHTTPClient
import Foundation
import Testing
import ZscalerEmulator

/// Faults set through `/__emulator/faults` (and the library hooks), and the control routes' own rules.
@Suite struct FaultInjectionTests {
    @Test func serverErrorsAndResourceAccessBlocked() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.PUT, "/__emulator/faults", json: ["serverErrorRate": 1]).status == 200)
            let failed = try await h.send(.GET, "/api/v1/users", headers: cookie)
            #expect(failed.status == 500 && failed.object["code"] as? String == "UNEXPECTED_ERROR")
            #expect(try await h.send(.PUT, "/__emulator/faults", json: ["resourceAccessBlockedRate": 1]).status == 200)
            let blocked = try await h.send(.GET, "/api/v1/users", headers: cookie)
            #expect(blocked.status == 401 && blocked.text == #"{"code":"UNEXPECTED_ERROR","message":"Resource Access Blocked"}"#)
            let totals = try await h.counters().totals
            #expect(totals.injectedServerErrors == 1 && totals.resourceAccessBlocked == 1)
        }
    }

    @Test func partialRatesAreReproducibleWithASeed() async throws {
        func run() async throws -> [Int] {
            var statuses: [Int] = []
            try await withEmulator({ $0.faults.serverErrorRate = 0.5 }) { h in
                let cookie = [("Cookie", try await h.login())]
                for _ in 0..<20 { statuses.append(try await h.send(.GET, "/api/v1/status", headers: cookie).status) }
            }
            return statuses
        }
        let first = try await run()
        #expect(first.contains(500) && first.contains(200))
        #expect(try await run() == first)
    }

    @Test func latencyIsAdded() async throws {
        try await withEmulator({ $0.faults.latencyMilliseconds = 200 }) { h in
            let started = ContinuousClock.now
            _ = try await h.send(.GET, "/api/v1/authenticatedSession")
            #expect(ContinuousClock.now - started >= .milliseconds(200))
        }
    }

    @Test func droppedConnectionsCloseWithoutAResponse() async throws {
        try await withEmulator({ $0.faults.dropConnectionRate = 1 }) { h async throws in
            await #expect(throws: (any Error).self) { _ = try await h.send(.GET, "/api/v1/status") }
            #expect(h.emulator.counters.totals.droppedConnections >= 1)
            // Control routes are never faulted.
            #expect(try await h.send(.GET, "/__emulator/counters").status == 200)
        }
    }

    @Test func stormsAnswer429ForAWhile() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            // Both requests must be sent inside the 2 s storm; a host stall can make them miss
            // it, so a round whose requests took too long is not judged and the storm is started
            // again. Every 429 seen is one the counters must show.
            var judged = false
            var seen429 = 0
            for _ in 0..<3 where !judged {
                let began = ContinuousClock.now
                #expect(try await h.send(.POST, "/__emulator/faults/storm", json: ["seconds": 2.0]).status == 204)
                let stormed = try await h.send(.GET, "/api/v1/status", headers: cookie)
                let zpa = try await h.send(.GET, "/mgmtconfig/v2/admin/customers/1/idp")
                seen429 += [stormed.status, zpa.status].filter { $0 == 429 }.count
                guard ContinuousClock.now - began < .milliseconds(1800) else { continue }
                judged = true
                #expect(stormed.status == 429 && stormed.header("Retry-After") == "1")
                #expect(zpa.status == 429 && zpa.header("retry-after") == "1s")
            }
            #expect(judged, "no storm round ran both requests within 1.8 s")
            try await Task.sleep(for: .milliseconds(2300))
            #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).status == 200)
            #expect(try await h.counters().totals.stormResponses == seen429)
        }
    }

    @Test func maintenanceMakesWritesReadOnly() async throws {
        try await withEmulator({ $0.faults.readOnly = true }) { h in
            let cookie = [("Cookie", try await h.login())]
            let write = try await h.send(.POST, "/api/v1/status/activate", headers: cookie)
            #expect(write.status == 403 && write.object["code"] as? String == "STATE_READONLY")
            #expect(write.header("x-zscaler-mode") == "read-only")
            #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).status == 200)
        }
    }

    @Test func forcedSessionExpiryEndsSessionsAndTokens() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            let bearer = [("Authorization", try await h.oneAPIToken())]
            #expect(try await h.send(.POST, "/__emulator/faults/expire-sessions").status == 204)
            #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).status == 401)
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).status == 401)
        }
    }

    @Test func pathPrefixLimitsWhereFaultsApply() async throws {
        try await withEmulator({
            $0.faults.serverErrorRate = 1
            $0.faults.pathPrefix = "/zia/"
        }) { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.GET, "/api/v1/status", headers: cookie).status == 200)
            #expect(try await h.send(.GET, "/zia/api/v1/status").status == 500)
        }
    }

    @Test func faultSettingsAreValidatedAndResettable() async throws {
        try await withEmulator { h in
            let typo = try await h.send(.PUT, "/__emulator/faults", json: ["serverErorRate": 1])
            #expect(typo.status == 400 && typo.text.contains("serverErorRate"))
            #expect(try await h.send(.PUT, "/__emulator/faults", json: ["serverErrorRate": 2]).status == 400)
            #expect(try await h.send(.PUT, "/__emulator/faults", body: "nope", contentType: "application/json").status == 400)
            #expect(try await h.send(.POST, "/__emulator/faults/storm", json: ["seconds": -1]).status == 400)
            _ = try await h.send(.PUT, "/__emulator/faults", json: ["serverErrorRate": 1])
            #expect(try await h.send(.POST, "/__emulator/reset").status == 204)
            #expect(try await h.send(.GET, "/__emulator/faults").object["serverErrorRate"] as? Double == 0)
            #expect(try await h.counters().totals.calls == 0)
        }
    }

    @Test func resetWithStateGoesBackToTheSeed() async throws {
        try await withEmulator { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            _ = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "Temporary"])
            #expect(try await h.send(.POST, "/__emulator/reset?state=true").status == 204)
            #expect(try await h.send(.GET, "/__emulator/state").object["status"] as? String == "ACTIVE")
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).status == 401)  // tokens gone too
        }
    }

    @Test func controlRoutesAreOffUnlessEnabled() async throws {
        try await withEmulator({ $0.controlEnabled = false }) { h async throws in
            #expect(try await h.send(.GET, "/__emulator/state").status == 404)
            #expect(try await h.send(.GET, "/__emulator/counters").status == 404)
            #expect(try await h.send(.PUT, "/__emulator/faults", json: ["serverErrorRate": 1]).status == 404)
        }
    }
}
