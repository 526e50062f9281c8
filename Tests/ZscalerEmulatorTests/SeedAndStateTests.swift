import Foundation
import Testing
import ZscalerEmulator

/// Fixtures, configuration files, and saving/loading state.
@Suite struct SeedAndStateTests {
    static let defaultSeedPath = repositoryRoot.appendingPathComponent("conformance/zscaler/seed/default.json").path

    @Test func defaultSeedIsARealisticSmallOrg() async throws {
        let seed = try SeedFixture.load(from: Self.defaultSeedPath)
        #expect(seed.zia.users.contains { $0.adminUser == true })
        #expect(seed.zia.users.filter { $0.source == .directorySync }.count >= 2)
        #expect(seed.zia.groups.contains { $0.name == "Service Admin" && $0.isSystemDefined == true })
        #expect(seed.zia.departments.contains { $0.name == "Service Admin" })
        try await withEmulator(seed: seed) { h in
            let body = try await h.send(.GET, "/__emulator/login-body")
            let login = try await h.send(.POST, "/api/v1/authenticatedSession", json: body.json as Any)
            #expect(login.status == 200)
            let cookie = String(try #require(login.header("Set-Cookie")).split(separator: ";")[0])
            #expect(try await h.send(.GET, "/api/v1/users", headers: [("Cookie", cookie)]).array.count == seed.zia.users.count)
            let banner = h.emulator.banner(port: h.port)
            #expect(banner.contains("/scim/1/216196257331285825/v2"))
            #expect(banner.contains(seed.zia.admins[0].username))
        }
    }

    @Test func generatedLoadSeedHas25000UsersAndIsDeterministic() throws {
        let seed = SeedFixture.generated(userCount: 25_000)
        #expect(seed.zia.users.count == 25_003)
        #expect(Set(seed.zia.users.map(\.email)).count == 25_003)
        try seed.validate()
        #expect(SeedFixture.generated(userCount: 50) == SeedFixture.generated(userCount: 50))
    }

    @Test func brokenSeedsAreRefusedWithAClearMessage() throws {
        var seed = SeedFixture.generated(userCount: 2)
        seed.zia.users[3].groups = [1]
        #expect(throws: EmulatorConfigurationError.self) { try seed.validate() }
        do {
            _ = try SeedFixture.decode(Data(#"{"organization":{}}"#.utf8))
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("missing"))
        }
        #expect(throws: EmulatorConfigurationError.self) { try SeedFixture.load(from: "/nonexistent/seed.json") }
    }

    @Test func configurationFilesNameOnlyWhatChanges() throws {
        let configuration = try EmulatorConfiguration.load(
            patch: Data(#"{"timeScale":0.5,"sessions":{"idleTimeoutSeconds":60},"rateLimits":{"enforce":false}}"#.utf8))
        #expect(configuration.timeScale == 0.5)
        #expect(configuration.sessions.idleTimeoutSeconds == 60)
        #expect(configuration.sessions.absoluteTimeoutSeconds == 300)
        #expect(configuration.rateLimits.enforce == false)
        #expect(configuration.rateLimits.zia == EmulatedRateLimits.documentedZIA)
        #expect(throws: EmulatorConfigurationError.self) { try EmulatorConfiguration.load(patch: Data(#"{"timeScal":1}"#.utf8)) }
        #expect(throws: EmulatorConfigurationError.self) { try EmulatorConfiguration.load(patch: Data(#"{"timeScale":0}"#.utf8)) }
        #expect(throws: EmulatorConfigurationError.self) { try EmulatorConfiguration.load(patch: Data(#"{"timeScale":"fast"}"#.utf8)) }
    }

    @Test func stateIsSavedAndLoaded() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zscaler-emulator-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let seed = SeedFixture.generated(userCount: 5)
        try await withEmulator(seed: seed, { $0.statePath = path }) { h in
            let cookie = [("Cookie", try await h.login())]
            let created = try await h.send(
                .POST, "/api/v1/users", headers: cookie,
                json: [
                    "name": "Kept", "email": "kept@example.com", "groups": [["id": 24_000_001]], "department": ["id": 25_000_001],
                    "password": "Str0ng!Passw0rd",
                ])
            #expect(created.status == 200)
            let scim = try await h.send(
                .POST, "/scim/1/\(h.credentials.zpaIdpId)/v2/Users", headers: [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")],
                json: ["userName": "scim.kept@example.com"])
            #expect(scim.status == 201)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        try await withEmulator(seed: seed, { $0.statePath = path }) { h in
            let cookie = [("Cookie", try await h.login())]
            let users = try await h.send(.GET, "/api/v1/users?name=Kept", headers: cookie).array
            #expect(users.map { $0["email"] as? String } == ["kept@example.com"])
            #expect(h.emulator.activationStatus == "PENDING")  // pending changes survive a restart too
            let scim = try await h.send(
                .GET, "/scim/1/\(h.credentials.zpaIdpId)/v2/Users?filter=userName%20eq%20%22scim.kept@example.com%22",
                headers: [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")])
            #expect(scim.object["totalResults"] as? Int == 1)
        }
        try Data("{broken".utf8).write(to: URL(fileURLWithPath: path))
        var configuration = testConfiguration()
        configuration.statePath = path
        #expect(throws: EmulatorConfigurationError.self) { _ = try ZscalerEmulator(configuration: configuration, seed: seed) }
    }

    @Test func changesAreSavedWhileRunning() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("zscaler-emulator-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try await withEmulator({
            $0.statePath = path
            $0.saveDebounceSeconds = 0.05
        }) { h in
            let bearer = [("Authorization", try await h.oneAPIToken())]
            _ = try await h.send(.POST, "/zia/api/v1/groups", headers: bearer, json: ["name": "Saved Soon"])
            try await Task.sleep(for: .milliseconds(400))
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("Saved Soon"))
        }
    }

    @Test func startAndStopAreIdempotentAndThePortIsReported() async throws {
        let emulator = try ZscalerEmulator(configuration: testConfiguration(), seed: .generated(userCount: 1))
        let port = try await emulator.start()
        #expect(port > 0)
        #expect(try await emulator.start() == port)
        #expect(emulator.baseURL == "http://127.0.0.1:\(port)")
        await emulator.stop()
        await emulator.stop()
        #expect(emulator.port == nil)
    }
}
