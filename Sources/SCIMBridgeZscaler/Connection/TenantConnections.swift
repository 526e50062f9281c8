import Foundation
import SCIMBridge
import SCIMCore

/// Stores and loads a tenant's connection: the settings and policy as JSON, the secrets sealed by
/// a ``SecretBox`` and bound to the tenant id. The store never sees a secret in the clear.
public enum TenantConnections {
    /// Validates `connection` (``ZscalerConnection/validate()``) and stores it with `policy`,
    /// replacing any earlier connection of the tenant.
    public static func save(
        _ connection: ZscalerConnection, policy: TenantPolicy, tenantID: String, store: any DirectoryStore, box: SecretBox,
        at: SCIMDateTime
    ) async throws(ConnectionError) {
        try connection.validate()
        let secrets: Data
        do {
            secrets = try JSONEncoder().encode(connection.secrets)
        } catch {
            throw ConnectionError(.invalidSettings, "the secrets do not encode: \(error)")
        }
        let sealed = try box.seal(Array(secrets), context: context(tenantID))
        let record = ConnectionRecord(
            settings: connection.settingsJSON(), sealedSecrets: sealed, policy: policy.json(), connectedAt: at)
        try await storeCall { () async throws(StoreError) in try await store.setConnection(tenantID: tenantID, record) }
    }

    /// The tenant's connection with its secrets opened, and its policy; nil when it has none.
    /// - Throws: ``ConnectionError/Kind/wrongKey`` when `box` is not the key the secrets were
    ///   sealed with; ``ConnectionError/Kind/corrupted`` or ``ConnectionError/Kind/policy`` when
    ///   the row is damaged.
    public static func load(tenantID: String, store: any DirectoryStore, box: SecretBox) async throws(ConnectionError)
        -> (connection: ZscalerConnection, policy: TenantPolicy)?
    {
        guard let record = try await record(tenantID: tenantID, store: store) else { return nil }
        var connection = try ZscalerConnection.decodeSettings(record.settings)
        connection.secrets = try openSecrets(record, tenantID: tenantID, box: box)
        return (connection, try policy(of: record))
    }

    /// Replaces the policy of a connected tenant without touching (or needing the key for) its
    /// secrets. Returns false when the tenant has no connection.
    @discardableResult
    public static func setPolicy(_ policy: TenantPolicy, tenantID: String, store: any DirectoryStore) async throws(ConnectionError)
        -> Bool
    {
        guard var record = try await record(tenantID: tenantID, store: store) else { return false }
        record.policy = policy.json()
        let updated = record
        try await storeCall { () async throws(StoreError) in try await store.setConnection(tenantID: tenantID, updated) }
        return true
    }

    /// Removes the connection (the reconciler stops; SCIM and the sync rows stay). Returns false
    /// when there was none.
    @discardableResult
    public static func remove(tenantID: String, store: any DirectoryStore) async throws(ConnectionError) -> Bool {
        guard try await record(tenantID: tenantID, store: store) != nil else { return false }
        try await storeCall { () async throws(StoreError) in try await store.setConnection(tenantID: tenantID, nil) }
        return true
    }

    /// The stored row as it is (settings, sealed secrets, policy), for showing a connection whose
    /// secrets cannot be opened.
    public static func record(tenantID: String, store: any DirectoryStore) async throws(ConnectionError) -> ConnectionRecord? {
        try await storeCall { () async throws(StoreError) in try await store.connection(tenantID: tenantID) }
    }

    /// The record's secrets, opened.
    public static func openSecrets(_ record: ConnectionRecord, tenantID: String, box: SecretBox) throws(ConnectionError)
        -> ConnectionSecrets
    {
        let plaintext = try box.open(record.sealedSecrets, context: context(tenantID))
        do {
            return try JSONDecoder().decode(ConnectionSecrets.self, from: Data(plaintext))
        } catch {
            throw ConnectionError(.corrupted, "the opened secrets are not the expected JSON; connect the tenant again")
        }
    }

    /// The record's policy.
    public static func policy(of record: ConnectionRecord) throws(ConnectionError) -> TenantPolicy {
        do {
            return try TenantPolicy.decode(record.policy)
        } catch {
            throw ConnectionError(.policy, "the stored tenant policy is invalid (\(error)); set it again with `zscim tenant policy`")
        }
    }

    /// What the sealed secrets are bound to, besides the key.
    static func context(_ tenantID: String) -> [UInt8] { Array("zscim connection secrets; tenant \(tenantID)".utf8) }

    private static func storeCall<T>(_ body: () async throws(StoreError) -> T) async throws(ConnectionError) -> T {
        do {
            return try await body()
        } catch {
            throw ConnectionError(.store, "the store failed: \(error)")
        }
    }
}
