import Foundation
import Testing
import ZscalerEmulator

/// Changes stay pending until `POST /status/activate` (reference §6); the test-only state view
/// shows activated against pending.
@Suite struct ActivationTests {
    @Test func changesArePendingUntilActivated() async throws {
        try await withEmulator { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).text == #"{"status":"ACTIVE"}"#)
            let created = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "Contractors"])
            #expect(created.status == 200)
            #expect(try await h.send(.GET, "/zia/api/v1/status", headers: bearer).object["status"] as? String == "PENDING")
            let pending = try await h.send(.GET, "/__emulator/state").object
            #expect(pending["status"] as? String == "PENDING")
            #expect((pending["pendingChanges"] as? [String])?.count == 1)
            #expect((pending["working"] as? [String: Any])?["groups"] as? Int == 8)
            #expect((pending["activated"] as? [String: Any])?["groups"] as? Int == 7)
            let activated = try await h.send(.POST, "/zia/api/v1/status/activate", headers: bearer)
            #expect(activated.status == 200 && activated.text == #"{"status":"ACTIVE"}"#)
            let state = try await h.send(.GET, "/__emulator/state?full=true").object
            #expect(state["status"] as? String == "ACTIVE")
            #expect((state["activated"] as? [String: Any])?["groups"] as? Int == 8)
            #expect(((state["activatedDirectory"] as? [String: Any])?["groups"] as? [Any])?.count == 8)
            #expect(try await h.counters().totals.activations == 1)
        }
    }

    @Test func activationHasItsOwnLimitOfTenPerMinute() async throws {
        // At scale 0.1 a minute is 6 s and a second 100 ms: 10 activations 120 ms apart pass (1.2 s,
        // far inside the minute even on a loaded machine), the 11th is refused.
        try await withEmulator({
            $0.timeScale = 0.1
            $0.rateLimits.enforce = true
        }) { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            var statuses: [Int] = []
            for _ in 0..<10 {
                statuses.append(try await h.send(.POST, "/zia/api/v1/status/activate", headers: bearer).status)
                try await Task.sleep(for: .milliseconds(120))
            }
            #expect(statuses.prefix(10).allSatisfy { $0 == 200 })
            let refused = try await h.send(.POST, "/zia/api/v1/status/activate", headers: bearer)
            #expect(refused.status == 429)
            #expect(refused.object["message"] as? String == "Rate Limit (10/MINUTE) exceeded")
        }
    }
}
