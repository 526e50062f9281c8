import Crypto
import Foundation
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreSQLite
import Testing

@Suite("TenantConnections: settings in the clear, secrets sealed, on SQLite")
struct ConnectionStoreTests {
    static let password = "Emul@tor-Passw0rd!"
    static let apiKey = "Xk3p9TqL2vRbQz"
    static let clientSecret = "generated-client-secret"

    static func legacy() -> ZscalerConnection {
        .legacy(
            baseURL: "https://zsapi.zscalertwo.net/api/v1", username: "api-admin@example.com", password: password, apiKey: apiKey,
            cloud: "zscalertwo", orgID: 45_193_562)
    }

    static func withStore<T>(_ body: (SQLiteDirectoryStore, String, URL) async throws -> T) async throws -> T {
        let dir = try ConnectionTestFiles.directory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("zscim.sqlite")
        let store = try SQLiteDirectoryStore(path: path.path)
        let tenant = Tenant(id: UUID().uuidString.lowercased(), name: "acme", created: .now())
        try await store.createTenant(tenant)
        return try await body(store, tenant.id, path)
    }

    @Test("save then load gives the connection, its secrets and its policy back")
    func roundTrip() async throws {
        try await Self.withStore { store, tenantID, _ in
            let box = SecretBox(key: SymmetricKey(size: .bits256))
            var policy = TenantPolicy()
            policy.deactivation = .quarantine
            policy.quarantineGroup = "Quarantine"
            policy.domains = ["example.com"]
            let at = SCIMDateTime(seconds: 1_767_225_600)
            try await TenantConnections.save(Self.legacy(), policy: policy, tenantID: tenantID, store: store, box: box, at: at)
            let loaded = try #require(try await TenantConnections.load(tenantID: tenantID, store: store, box: box))
            #expect(loaded.connection == Self.legacy())
            #expect(loaded.connection.secrets.password == Self.password)
            #expect(loaded.policy == policy)
            #expect(try await TenantConnections.record(tenantID: tenantID, store: store)?.connectedAt == at)
            #expect(try await TenantConnections.load(tenantID: "nobody", store: store, box: box) == nil)
        }
    }

    @Test("the SQLite file (and its WAL) never holds a secret in the clear; the settings JSON has none")
    func noSecretOnDisk() async throws {
        try await Self.withStore { store, tenantID, path in
            let box = SecretBox(key: SymmetricKey(size: .bits256))
            try await TenantConnections.save(Self.legacy(), policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
            let oneAPI = ZscalerConnection.oneAPI(vanityDomain: "acme", clientID: "client-1", clientSecret: Self.clientSecret)
            let other = Tenant(id: UUID().uuidString.lowercased(), name: "beta", created: .now())
            try await store.createTenant(other)
            try await TenantConnections.save(oneAPI, policy: TenantPolicy(), tenantID: other.id, store: store, box: box, at: .now())

            let record = try #require(try await TenantConnections.record(tenantID: tenantID, store: store))
            #expect(record.settings.contains("api-admin@example.com"))
            for secret in [Self.password, Self.apiKey, Self.clientSecret] {
                #expect(!record.settings.contains(secret))
                #expect(!Self.legacy().settingsJSON().contains(secret))
            }
            var bytes: [UInt8] = []
            for suffix in ["", "-wal", "-shm", "-journal"] {
                if let data = FileManager.default.contents(atPath: path.path + suffix) { bytes += Array(data) }
            }
            #expect(bytes.count > 4096, "the database files were read")
            #expect(ConnectionTestFiles.contains(bytes, Array("api-admin@example.com".utf8)), "the settings are there in the clear")
            for secret in [Self.password, Self.apiKey, Self.clientSecret] {
                #expect(!ConnectionTestFiles.contains(bytes, Array(secret.utf8)), "\(secret.prefix(3))… found in the database file")
            }
        }
    }

    @Test("another key cannot open the secrets: wrongKey; another tenant's row does not open them either")
    func wrongKey() async throws {
        try await Self.withStore { store, tenantID, _ in
            let box = SecretBox(key: SymmetricKey(size: .bits256))
            try await TenantConnections.save(Self.legacy(), policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
            let other = SecretBox(key: SymmetricKey(size: .bits256))
            await #expect(throws: ConnectionError.self) { try await TenantConnections.load(tenantID: tenantID, store: store, box: other) }
            do {
                _ = try await TenantConnections.load(tenantID: tenantID, store: store, box: other)
            } catch {
                #expect((error as? ConnectionError)?.kind == .wrongKey)
            }
            // A sealed row copied to another tenant is useless there (bound to the tenant id).
            let record = try #require(try await TenantConnections.record(tenantID: tenantID, store: store))
            let thief = Tenant(id: UUID().uuidString.lowercased(), name: "thief", created: .now())
            try await store.createTenant(thief)
            try await store.setConnection(tenantID: thief.id, record)
            do {
                _ = try await TenantConnections.load(tenantID: thief.id, store: store, box: box)
                Issue.record("opened another tenant's secrets")
            } catch {
                #expect((error as? ConnectionError)?.kind == .corrupted)
            }
        }
    }

    @Test("setPolicy changes only the policy; remove deletes the connection")
    func policyAndRemove() async throws {
        try await Self.withStore { store, tenantID, _ in
            let box = SecretBox(key: SymmetricKey(size: .bits256))
            try await TenantConnections.save(Self.legacy(), policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
            let before = try #require(try await TenantConnections.record(tenantID: tenantID, store: store))
            var policy = TenantPolicy()
            policy.userNameChange = .recreate
            #expect(try await TenantConnections.setPolicy(policy, tenantID: tenantID, store: store))
            let after = try #require(try await TenantConnections.record(tenantID: tenantID, store: store))
            #expect(after.sealedSecrets == before.sealedSecrets && after.settings == before.settings)
            #expect(try await TenantConnections.load(tenantID: tenantID, store: store, box: box)?.policy.userNameChange == .recreate)
            #expect(try await TenantConnections.remove(tenantID: tenantID, store: store))
            #expect(try await TenantConnections.record(tenantID: tenantID, store: store) == nil)
            #expect(try await TenantConnections.remove(tenantID: tenantID, store: store) == false)
            #expect(try await TenantConnections.setPolicy(policy, tenantID: tenantID, store: store) == false)
        }
    }

    @Test("an invalid connection is refused before anything is stored")
    func invalidNotStored() async throws {
        try await Self.withStore { store, tenantID, _ in
            let box = SecretBox(key: SymmetricKey(size: .bits256))
            var missing = Self.legacy()
            missing.secrets.apiKey = nil
            do {
                try await TenantConnections.save(missing, policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
                Issue.record("saved a connection without an API key")
            } catch {
                #expect((error as? ConnectionError)?.kind == .missingSecret)
            }
            var emulator = Self.legacy()
            emulator.baseURL = "http://127.0.0.1:9443/api/v1"
            do {
                try await TenantConnections.save(emulator, policy: TenantPolicy(), tenantID: tenantID, store: store, box: box, at: .now())
                Issue.record("saved an unlisted host without allowUnlistedHost")
            } catch {
                #expect((error as? ConnectionError)?.kind == .unlistedHost)
            }
            let stored = try await TenantConnections.record(tenantID: tenantID, store: store)
            #expect(stored == nil)
        }
    }
}
