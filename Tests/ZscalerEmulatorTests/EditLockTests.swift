import Foundation
import Testing
import ZscalerEmulator

/// The tenant-global edit lock (§5.3): concurrent writes conflict with 409 `EDIT_LOCK_NOT_AVAILABLE`.
@Suite struct EditLockTests {
    func body(_ email: String) -> [String: Any] {
        ["name": email, "email": email, "groups": [["id": 24_000_001]], "department": ["id": 25_000_001], "password": "Str0ng!Passw0rd"]
    }

    @Test func concurrentWritesConflict() async throws {
        // Each write holds the lock for 2 s; the other one, sent meanwhile, does not wait. On a
        // loaded host either may reach the emulator first, so the test asks only that one wins
        // and the other is refused.
        try await withEmulator({ $0.editLock.writeHoldSeconds = 2 }) { h in
            let cookie = [("Cookie", try await h.login())]
            async let first = h.send(.POST, "/api/v1/users", headers: cookie, json: body("first@example.com"))
            try await Task.sleep(for: .milliseconds(100))
            let second = try await h.send(.POST, "/api/v1/users", headers: cookie, json: body("second@example.com"))
            let answers = [try await first, second]
            #expect(answers.map(\.status).sorted() == [200, 409])
            #expect(answers.first { $0.status == 409 }?.text == #"{"code":"EDIT_LOCK_NOT_AVAILABLE"}"#)
            #expect(try await h.counters().totals.editLockConflicts == 1)
        }
    }

    @Test func aHeldLockRefusesWritesUntilReleasedButNotReads() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            #expect(try await h.send(.POST, "/__emulator/faults/hold-edit-lock", json: ["seconds": 0.4]).status == 204)
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: body("a@example.com")).status == 409)
            #expect(try await h.send(.GET, "/api/v1/users", headers: cookie).status == 200)
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: body("a@example.com")).status == 200)
        }
    }

    @Test func writersWaitForTheLockWhenConfiguredTo() async throws {
        // Wait up to 30 Zscaler seconds (the recorded behaviour) at scale 0.05 = 1.5 s; the hold is 0.3 s.
        try await withEmulator({
            $0.timeScale = 0.05
            $0.editLock.waitSeconds = 30
        }) { h in
            let cookie = [("Cookie", try await h.login())]
            h.emulator.holdEditLock(for: .milliseconds(300))
            let started = ContinuousClock.now
            #expect(try await h.send(.POST, "/api/v1/users", headers: cookie, json: body("b@example.com")).status == 200)
            #expect(ContinuousClock.now - started >= .milliseconds(250))
        }
    }
}
