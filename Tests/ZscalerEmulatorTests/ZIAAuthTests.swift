import Foundation
import Testing
import ZscalerEmulator

/// `/authenticatedSession`: obfuscated key, timestamp window, credentials, cookie, expiry, logout.
@Suite struct ZIAAuthTests {
    @Test func loginSetsA32HexSessionCookieAndReturnsSessionInfo() async throws {
        try await withEmulator { h in
            let reply = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody())
            #expect(reply.status == 200)
            #expect(reply.object["authType"] as? String == "ADMIN_LOGIN")
            #expect(reply.object["obfuscateApiKey"] as? Bool == true)
            let cookie = try #require(reply.header("Set-Cookie"))
            #expect(cookie.range(of: #"^JSESSIONID=[0-9A-F]{32}; Path=/; HttpOnly$"#, options: .regularExpression) != nil)
            #expect(reply.header("Server") == "Zscaler")
            #expect(reply.header("x-zscaler-mode") == "read-write")
            #expect(reply.header("Content-Disposition") == #"attachment; filename="api.json""#)
        }
    }

    @Test func wrongKeyAndStaleTimestampFailAuthentication() async throws {
        try await withEmulator { h in
            let wrongKey = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody(apiKey: "ZZZZZZZZZZZZZZ"))
            #expect(wrongKey.status == 400)
            #expect(wrongKey.text == #"{"code":"AUTHENTICATION_FAILED","message":"AUTHENTICATION_FAILED"}"#)
            let twoHoursAgo = String(Int64((Date().timeIntervalSince1970 - 7300) * 1000))
            let stale = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody(timestamp: twoHoursAgo))
            #expect(stale.status == 400)
            #expect(stale.object["code"] as? String == "AUTHENTICATION_FAILED")
            // The key obfuscated for one timestamp but sent with another is refused too.
            var mismatched = h.loginBody()
            mismatched["timestamp"] = String(Int64(Date().timeIntervalSince1970 * 1000) - 5000)
            let replay = try await h.send(.POST, "/api/v1/authenticatedSession", json: mismatched)
            #expect(replay.object["code"] as? String == "AUTHENTICATION_FAILED")
        }
    }

    @Test func wrongPasswordOrUsernameIsInvalidCredentials() async throws {
        try await withEmulator { h in
            let reply = try await h.send(.POST, "/api/v1/authenticatedSession", json: h.loginBody(password: "nope"))
            #expect(reply.status == 400)
            #expect(reply.text == #"{"code":"INVALID_USERNAME_OR_PASSWORD","message":"Invalid email or password"}"#)
            var unknown = h.loginBody()
            unknown["username"] = "ghost@example.com"
            #expect(
                try await h.send(.POST, "/api/v1/authenticatedSession", json: unknown).object["code"] as? String
                    == "INVALID_USERNAME_OR_PASSWORD")
        }
    }

    @Test func numericTimestampIsAcceptedAndBadBodiesAreRefused() async throws {
        try await withEmulator { h in
            var body = h.loginBody()
            body["timestamp"] = Int64(body["timestamp"] as! String)!
            #expect(try await h.send(.POST, "/api/v1/authenticatedSession", json: body).status == 200)
            let malformed = try await h.send(.POST, "/api/v1/authenticatedSession", body: "{not json", contentType: "application/json")
            #expect(malformed.status == 400)
            #expect(malformed.text == #"{"message":"Request body is invalid."}"#)
            let noType = try await h.send(.POST, "/api/v1/authenticatedSession", body: "{}")
            #expect(noType.status == 415)
        }
    }

    @Test func sessionStatusAndLogout() async throws {
        try await withEmulator { h in
            let cookie = try await h.login()
            let alive = try await h.send(.GET, "/api/v1/authenticatedSession", headers: [("Cookie", cookie)])
            #expect(alive.status == 200 && alive.object["authType"] != nil)
            let out = try await h.send(.DELETE, "/api/v1/authenticatedSession", headers: [("Cookie", cookie)])
            #expect(out.status == 200 && out.object["status"] as? String == "ACTIVE")
            let gone = try await h.send(.GET, "/api/v1/authenticatedSession", headers: [("Cookie", cookie)])
            #expect(gone.status == 200 && gone.object["authType"] == nil)
            let after = try await h.send(.GET, "/api/v1/users", headers: [("Cookie", cookie)])
            #expect(after.status == 401)
            #expect(after.text == #"{"code":"SESSION_NOT_VALID","message":"Session is not valid"}"#)
            #expect(try await h.send(.GET, "/api/v1/users").status == 401)
        }
    }

    @Test func idleExpiryUnderTheTimeScale() async throws {
        // 20 Zscaler seconds at scale 0.25 = 5 s idle; absolute off. Margins are wide (a use every
        // 300 ms against 5 s) because the whole suite runs in parallel on two cores, where a
        // 300 ms pause can stretch to seconds.
        try await withEmulator({
            $0.timeScale = 0.25
            $0.sessions.idleTimeoutSeconds = 20
            $0.sessions.absoluteTimeoutSeconds = nil
        }) { h in
            let cookie = try await h.login()
            let started = ContinuousClock.now
            while ContinuousClock.now - started < .seconds(6) {  // used every 300 ms: stays alive past 5 s in total
                try await Task.sleep(for: .milliseconds(300))
                #expect(try await h.send(.GET, "/api/v1/status", headers: [("Cookie", cookie)]).status == 200)
            }
            try await Task.sleep(for: .milliseconds(7000))
            let expired = try await h.send(.GET, "/api/v1/status", headers: [("Cookie", cookie)])
            #expect(expired.status == 401 && expired.object["code"] as? String == "SESSION_NOT_VALID")
            #expect(try await h.counters().totals.sessionsExpired == 1)
        }
    }

    @Test func absoluteExpiryEndsASessionInUse() async throws {
        // Idle 60 s, absolute 30 s, at scale 0.1: idle would be 6 s, absolute ends the session
        // 3 s after login although it is used every 300 ms. (3 s, not less: on a machine loaded by
        // the whole suite, the first call after login has taken more than a second.)
        try await withEmulator({
            $0.timeScale = 0.1
            $0.sessions.idleTimeoutSeconds = 60
            $0.sessions.absoluteTimeoutSeconds = 30
        }) { h in
            let loggedIn = ContinuousClock.now
            let cookie = try await h.login()
            var statuses: [Int] = [try await h.send(.GET, "/api/v1/status", headers: [("Cookie", cookie)]).status]
            var ended: Duration?
            for _ in 0..<20 where ended == nil {
                try await Task.sleep(for: .milliseconds(300))
                statuses.append(try await h.send(.GET, "/api/v1/status", headers: [("Cookie", cookie)]).status)
                if statuses.last == 401 { ended = ContinuousClock.now - loggedIn }
            }
            #expect(statuses.first == 200)
            #expect(statuses.last == 401)
            // Ended by the absolute limit (3 s), not earlier; the session was never idle.
            #expect((ended ?? .zero) >= .milliseconds(2900), "\(statuses)")
        }
    }

    @Test func logoutActivatesPendingChanges() async throws {
        try await withEmulator { h in
            let cookie = try await h.login()
            let created = try await h.send(
                .POST, "/api/v1/users", headers: [("Cookie", cookie)],
                json: [
                    "name": "New Person", "email": "new.person@example.com", "groups": [["id": 24_000_001]],
                    "department": ["id": 25_000_001], "password": "Str0ng!Passw0rd",
                ])
            #expect(created.status == 200)
            #expect(h.emulator.activationStatus == "PENDING")
            _ = try await h.send(.DELETE, "/api/v1/authenticatedSession", headers: [("Cookie", cookie)])
            #expect(h.emulator.activationStatus == "ACTIVE")
        }
    }
}
