import Foundation
import SCIMCore

/// Authenticated encryption the bridge uses for what it must keep but never show: Zscaler
/// credentials and users' write-only passwords. `SecretBox` (AES-256-GCM under the tenant
/// secret key) is the one implementation; the protocol lives here so the SCIM service can seal a
/// password without depending on the Zscaler side.
public protocol SecretSealing: Sendable {
    func seal(_ plaintext: [UInt8], context: [UInt8]) throws -> [UInt8]
    func open(_ sealed: [UInt8], context: [UInt8]) throws -> [UInt8]
}

/// What a write does to the user's sealed password (kept apart from the resource's attributes,
/// so it is never rendered, searched, copied into the audit trail or stored in the clear).
public enum PasswordWrite: Sendable, Hashable {
    /// Leave whatever is kept.
    case keep
    /// Keep this sealed value instead.
    case set([UInt8])
    /// Forget any kept password.
    case clear
}

/// A user's write-only `password`: sealed with the tenant secret key when the SCIM client sends
/// it, kept only until the bridge has created the Zscaler user with it, then forgotten.
public struct PasswordVault: Sendable {
    public let store: any DirectoryStore
    public let sealer: any SecretSealing

    public init(store: any DirectoryStore, sealer: any SecretSealing) {
        self.store = store
        self.sealer = sealer
    }

    /// Binds a sealed password to its tenant and user: a sealed value copied to another row does
    /// not open there.
    static func context(tenantID: String, userID: String) -> [UInt8] {
        Array("zscim password\u{1F}\(tenantID)\u{1F}\(userID)".utf8)
    }

    /// Takes `password` out of validated user attributes and turns it into the write that keeps
    /// it sealed (`.clear` when there is no sealer: it is then not kept at all).
    public static func take(from attributes: inout JSONObject, sealer: (any SecretSealing)?, tenantID: String, userID: String)
        throws(SCIMError) -> PasswordWrite
    {
        guard let index = attributes.index(forKeyIgnoringCase: "password") else { return .keep }
        let value = attributes.members[index].value
        attributes.removeValue(forKeyIgnoringCase: "password")
        guard let text = value.stringValue, !text.isEmpty, let sealer else { return .clear }
        do {
            return .set(try sealer.seal(Array(text.utf8), context: context(tenantID: tenantID, userID: userID)))
        } catch {
            throw SCIMError(status: 500, detail: "The password could not be sealed; the secret key is not usable")
        }
    }

    /// The user's password in the clear, when one is kept.
    public func password(tenantID: String, userID: String) async throws -> String? {
        guard let sealed = try await store.sealedPassword(tenantID: tenantID, userID: userID) else { return nil }
        let plain = try sealer.open(sealed, context: Self.context(tenantID: tenantID, userID: userID))
        return String(decoding: plain, as: UTF8.self)
    }

    /// The Zscaler user exists: the password is not needed any more.
    public func forget(tenantID: String, userID: String) async throws {
        try await store.forgetPassword(tenantID: tenantID, userID: userID)
    }
}
