import Foundation
import ZscalerAPI

/// How one tenant reaches its ZIA org: where the API is, how to log in, and the secrets to do it.
///
/// The secrets live in ``secrets`` and are kept out of everything else: ``Codable`` encodes the
/// settings only (``settingsJSON()`` is what the store may show), the secrets are sealed apart by
/// ``SecretBox`` (``TenantConnections``), and ``maskedDescription()`` is what a person sees.
public struct ZscalerConnection: Sendable, Hashable, Codable {
    /// ZIA's two ways in (reference §2, §7): the legacy session (API key + admin login) or OneAPI
    /// (ZIdentity client credentials). Only OneAPI can create groups and departments.
    public enum Flavor: String, Sendable, Hashable, Codable { case legacy, oneAPI }

    public var flavor: Flavor
    /// ZIA API base: legacy `https://zsapi.<cloud>/api/v1`, OneAPI `https://api.zsapi.net/zia/api/v1`,
    /// or an emulator URL.
    public var baseURL: String
    /// The ZIA cloud (`zscalertwo`), when known; informational once ``baseURL`` is set.
    public var cloud: String?
    /// The ZIA org (company) id, when known (SAML metadata or the operator); ZIA's API never says.
    public var orgID: Int64?
    /// Legacy admin login.
    public var username: String?
    /// OneAPI: the tenant's ZIdentity vanity domain (`acme` of `acme.zslogin.net`).
    public var vanityDomain: String?
    /// OneAPI client id.
    public var clientID: String?
    /// OneAPI token endpoint; derived from ``vanityDomain`` unless given (the emulator's
    /// `/oauth2/v1/token`).
    public var tokenURL: String?
    /// The operator allowed a host outside Zscaler's clouds (and plain http): the emulator.
    public var allowUnlistedHost: Bool
    /// Real seconds per Zscaler second for the client's pacing: 1 for Zscaler, an emulator's
    /// `--time-scale` otherwise (only with ``allowUnlistedHost``).
    public var rateScale: Double
    /// Not part of the settings JSON; sealed separately.
    public var secrets: ConnectionSecrets = ConnectionSecrets()

    public var isOneAPI: Bool { flavor == .oneAPI }

    public init(
        flavor: Flavor, baseURL: String, cloud: String? = nil, orgID: Int64? = nil, username: String? = nil,
        vanityDomain: String? = nil, clientID: String? = nil, tokenURL: String? = nil, allowUnlistedHost: Bool = false,
        rateScale: Double = 1, secrets: ConnectionSecrets = ConnectionSecrets()
    ) {
        self.flavor = flavor
        self.baseURL = baseURL
        self.cloud = cloud
        self.orgID = orgID
        self.username = username
        self.vanityDomain = vanityDomain
        self.clientID = clientID
        self.tokenURL = tokenURL
        self.allowUnlistedHost = allowUnlistedHost
        self.rateScale = rateScale
        self.secrets = secrets
    }

    /// A legacy connection (API key + admin login).
    public static func legacy(
        baseURL: String, username: String, password: String, apiKey: String, cloud: String? = nil, orgID: Int64? = nil,
        allowUnlistedHost: Bool = false, rateScale: Double = 1
    ) -> ZscalerConnection {
        ZscalerConnection(
            flavor: .legacy, baseURL: baseURL, cloud: cloud, orgID: orgID, username: username, allowUnlistedHost: allowUnlistedHost,
            rateScale: rateScale, secrets: ConnectionSecrets(password: password, apiKey: apiKey))
    }

    /// A OneAPI connection; `tokenURL` nil derives it from `vanityDomain`.
    public static func oneAPI(
        baseURL: String = ZscalerConnection.oneAPIProductionBaseURL, vanityDomain: String?, clientID: String, clientSecret: String,
        tokenURL: String? = nil, cloud: String? = nil, orgID: Int64? = nil, allowUnlistedHost: Bool = false, rateScale: Double = 1
    ) -> ZscalerConnection {
        ZscalerConnection(
            flavor: .oneAPI, baseURL: baseURL, cloud: cloud, orgID: orgID, vanityDomain: vanityDomain, clientID: clientID,
            tokenURL: tokenURL, allowUnlistedHost: allowUnlistedHost, rateScale: rateScale,
            secrets: ConnectionSecrets(clientSecret: clientSecret))
    }

    /// ZIA through the production OneAPI gateway.
    public static let oneAPIProductionBaseURL = OneAPICloud.production.ziaBaseURL.string

    // MARK: Codable: the settings only

    /// `secrets` is deliberately absent: encoding a connection can never write a secret.
    enum CodingKeys: String, CodingKey {
        case flavor, baseURL, cloud, orgID, username, vanityDomain, clientID, tokenURL, allowUnlistedHost, rateScale
    }

    /// Lenient about the two keys with defaults, so settings written by hand or by an older
    /// version still load; decoded connections have empty ``secrets``.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        flavor = try c.decode(Flavor.self, forKey: .flavor)
        baseURL = try c.decode(String.self, forKey: .baseURL)
        cloud = try c.decodeIfPresent(String.self, forKey: .cloud)
        orgID = try c.decodeIfPresent(Int64.self, forKey: .orgID)
        username = try c.decodeIfPresent(String.self, forKey: .username)
        vanityDomain = try c.decodeIfPresent(String.self, forKey: .vanityDomain)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        tokenURL = try c.decodeIfPresent(String.self, forKey: .tokenURL)
        allowUnlistedHost = try c.decodeIfPresent(Bool.self, forKey: .allowUnlistedHost) ?? false
        rateScale = try c.decodeIfPresent(Double.self, forKey: .rateScale) ?? 1
    }

    /// The settings JSON (no secrets), compact with sorted keys: what the store keeps in the clear.
    public func settingsJSON() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Every field is a string, number or bool: encoding cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Reads ``settingsJSON()`` back (with empty ``secrets``).
    public static func decodeSettings(_ json: String) throws(ConnectionError) -> ZscalerConnection {
        do {
            return try JSONDecoder().decode(ZscalerConnection.self, from: Data(json.utf8))
        } catch {
            throw ConnectionError(.corrupted, "the stored connection settings do not decode (\(error)); connect the tenant again")
        }
    }

    // MARK: What a person sees

    /// The settings and the secrets masked, in a stable order, for `tenant show`. A password shows
    /// as `********`; a key or client secret shows at most its last 3 characters, and only when
    /// it is long enough (12+) that 3 characters say little about it.
    public func maskedDescription() -> [(String, String)] {
        var rows: [(String, String)] = [
            ("flavor", flavor == .oneAPI ? "OneAPI (ZIdentity client credentials)" : "legacy (API key + admin login)")
        ]
        rows.append(("baseURL", baseURL))
        if let cloud { rows.append(("cloud", cloud)) }
        rows.append(("orgID", orgID.map(String.init) ?? "unknown"))
        switch flavor {
        case .legacy:
            rows.append(("username", username ?? "(not set)"))
            rows.append(("password", secrets.password.map { $0.isEmpty ? "(not set)" : "********" } ?? "(not set)"))
            rows.append(("apiKey", Self.mask(secrets.apiKey)))
        case .oneAPI:
            if let vanityDomain { rows.append(("vanityDomain", vanityDomain)) }
            rows.append(("clientID", clientID ?? "(not set)"))
            rows.append(("clientSecret", Self.mask(secrets.clientSecret)))
            rows.append(("tokenURL", tokenURL ?? ((try? resolvedTokenURL().string).map { "\($0) (derived)" } ?? "(not set)")))
        }
        if allowUnlistedHost { rows.append(("allowUnlistedHost", "yes (not a Zscaler cloud: emulator or test double)")) }
        if rateScale != 1 { rows.append(("rateScale", String(rateScale))) }
        return rows
    }

    /// `****…9Tq` for a secret of 12+ characters, `****` for a shorter one.
    public static func mask(_ secret: String?) -> String {
        guard let secret, !secret.isEmpty else { return "(not set)" }
        return secret.count >= 12 ? "****…" + secret.suffix(3) : "****"
    }
}

/// The secrets of a connection. Sealed as JSON by ``SecretBox``; never printed (its description
/// is redacted, and it reflects as empty so `dump` shows nothing either).
public struct ConnectionSecrets: Sendable, Hashable, Codable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// Legacy admin password.
    public var password: String?
    /// Legacy API key (the raw key; obfuscated per login by the client).
    public var apiKey: String?
    /// OneAPI client secret.
    public var clientSecret: String?

    public init(password: String? = nil, apiKey: String? = nil, clientSecret: String? = nil) {
        self.password = password
        self.apiKey = apiKey
        self.clientSecret = clientSecret
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
