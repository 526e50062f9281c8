import Foundation
import SCIMCore

/// How a connected tenant's SCIM resources map onto Zscaler, chosen per tenant (DESIGN §3) and
/// stored as JSON beside the connection. Every field has a default, so an older or hand-written
/// policy with fewer keys still decodes; unknown keys are refused so that a typo is not silently
/// ignored.
public struct TenantPolicy: Sendable, Hashable, Codable {
    /// What `active: false` does in ZIA.
    public enum Deactivation: String, Sendable, Hashable, Codable, CaseIterable {
        /// The ZIA user is disabled (`disabled: true`) and keeps its groups.
        case disable
        /// The ZIA user is deleted; reactivation creates it again.
        case delete
        /// The ZIA user's groups are replaced by the quarantine group (and it is disabled).
        case quarantine
    }

    /// What a `userName` change does (ZIA's `email` cannot change).
    public enum UserNameChange: String, Sendable, Hashable, Codable, CaseIterable {
        /// Refused at once with a SCIM 400 once the user exists in ZIA.
        case reject
        /// The old ZIA user is deleted and a new one created.
        case recreate
    }

    public var deactivation: Deactivation = .disable
    /// The ZIA group that quarantined users are moved to (by name). Adding a user to the SCIM
    /// group of this name also goes through the priority lane.
    public var quarantineGroup: String?
    /// The ZIA department for users whose SCIM department is absent or unknown (ZIA requires one).
    public var defaultDepartment: String?
    /// Create missing departments and groups in ZIA (OneAPI only); otherwise a missing one is a
    /// recorded failure naming it.
    public var createMissing: Bool = true
    public var userNameChange: UserNameChange = .reject
    /// The email domains the Zscaler org owns. When set, a `userName` in another domain is
    /// refused at once (ZIA would refuse it later).
    public var domains: [String] = []
    /// Share of each hourly Zscaler budget that bulk work may not use, kept for deprovisioning.
    public var priorityReserve: Double = 0.05
    /// Zscaler seconds without new changes before activating.
    public var activationQuietSeconds: Double = 5
    /// Zscaler seconds after which pending changes are activated even while writes continue.
    public var activationMaxDelaySeconds: Double = 90

    public init() {}

    enum CodingKeys: String, CodingKey, CaseIterable {
        case deactivation, quarantineGroup, defaultDepartment, createMissing, userNameChange, domains, priorityReserve,
            activationQuietSeconds, activationMaxDelaySeconds
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let known = try decoder.container(keyedBy: AnyKey.self)
        if let unknown = known.allKeys.first(where: { CodingKeys(stringValue: $0.stringValue) == nil }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: known,
                debugDescription:
                    "unknown policy key '\(unknown.stringValue)'; known keys: \(CodingKeys.allCases.map(\.stringValue).joined(separator: ", "))"
            )
        }
        deactivation = try c.decodeIfPresent(Deactivation.self, forKey: .deactivation) ?? .disable
        quarantineGroup = try c.decodeIfPresent(String.self, forKey: .quarantineGroup)
        defaultDepartment = try c.decodeIfPresent(String.self, forKey: .defaultDepartment)
        createMissing = try c.decodeIfPresent(Bool.self, forKey: .createMissing) ?? true
        userNameChange = try c.decodeIfPresent(UserNameChange.self, forKey: .userNameChange) ?? .reject
        domains = try c.decodeIfPresent([String].self, forKey: .domains) ?? []
        priorityReserve = try c.decodeIfPresent(Double.self, forKey: .priorityReserve) ?? 0.05
        activationQuietSeconds = try c.decodeIfPresent(Double.self, forKey: .activationQuietSeconds) ?? 5
        activationMaxDelaySeconds = try c.decodeIfPresent(Double.self, forKey: .activationMaxDelaySeconds) ?? 90
        guard (0...0.5).contains(priorityReserve) else {
            throw DecodingError.dataCorruptedError(forKey: .priorityReserve, in: c, debugDescription: "priorityReserve must be 0...0.5")
        }
        if deactivation == .quarantine, quarantineGroup == nil {
            throw DecodingError.dataCorruptedError(
                forKey: .quarantineGroup, in: c, debugDescription: "deactivation 'quarantine' needs a quarantineGroup")
        }
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    public static func decode(_ text: String) throws -> TenantPolicy {
        try JSONDecoder().decode(TenantPolicy.self, from: Data(text.utf8))
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init?(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}

/// ZIA's rules for a user, applied to the SCIM view (DESIGN §3), in one place for the service
/// (rejections known in advance) and the reconciler (the mapping itself).
public enum ZIAUserRules {
    /// ZIA's longest user name, e-mail and group/department name.
    public static let maximumNameLength = 127
    public static let maximumGroups = 127

    /// The ZIA `name`: `displayName`, else `name.formatted`, else given + family name, else
    /// `userName`.
    public static func displayName(_ attributes: JSONObject) -> String {
        func text(_ value: JSONValue?) -> String? {
            guard let s = value?.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines), !s.isEmpty else { return nil }
            return s
        }
        if let d = text(attributes["displayName"]) { return d }
        let name = attributes["name"]?.objectValue
        if let f = text(name?["formatted"]) { return f }
        let parts = [text(name?["givenName"]), text(name?["familyName"])].compactMap { $0 }
        if !parts.isEmpty { return parts.joined(separator: " ") }
        return email(attributes)
    }

    /// The ZIA `email` (login id): the trimmed `userName`.
    public static func email(_ attributes: JSONObject) -> String {
        (attributes["userName"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `active`, absent meaning active.
    public static func isActive(_ attributes: JSONObject) -> Bool {
        attributes["active"]?.boolValue ?? true
    }

    /// The department name asked for: the zscim extension's, else the enterprise extension's.
    public static func department(_ attributes: JSONObject) -> String? {
        let zscim = attributes["urn:zscim:params:scim:schemas:extension:zscaler:2.0:User"]?.objectValue?["department"]?.stringValue
        let enterprise = attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]?.objectValue?["department"]?.stringValue
        for candidate in [zscim, enterprise] {
            if let c = candidate?.trimmingCharacters(in: .whitespacesAndNewlines), !c.isEmpty { return c }
        }
        return nil
    }

    /// Why ZIA would refuse this user, known before anything is sent; nil when it would not.
    public static func rejection(_ attributes: JSONObject, policy: TenantPolicy) -> String? {
        let email = email(attributes)
        if email.count > maximumNameLength {
            return "userName is \(email.count) characters; ZIA allows at most \(maximumNameLength)"
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            return "userName must be an e-mail address (local@domain): ZIA uses it as the login id"
        }
        if !policy.domains.isEmpty {
            let domain = parts[1].lowercased()
            if !policy.domains.contains(where: { $0.lowercased() == domain }) {
                return "userName's domain \(domain) is not one of the Zscaler org's domains (\(policy.domains.joined(separator: ", ")))"
            }
        }
        let name = displayName(attributes)
        if name.count > maximumNameLength {
            return
                "the ZIA name (\"\(name.prefix(20))…\", from displayName or name) is \(name.count) characters; ZIA allows at most \(maximumNameLength)"
        }
        if let department = department(attributes), department.count > maximumNameLength {
            return "department is \(department.count) characters; ZIA allows at most \(maximumNameLength)"
        }
        return nil
    }

    /// The ZIA group name of a SCIM group: the zscim extension's `ziaGroupName`, else `displayName`.
    public static func groupName(_ attributes: JSONObject) -> String {
        let mapped = attributes["urn:zscim:params:scim:schemas:extension:zscaler:2.0:Group"]?.objectValue?["ziaGroupName"]?.stringValue
        if let m = mapped?.trimmingCharacters(in: .whitespacesAndNewlines), !m.isEmpty { return m }
        return (attributes["displayName"]?.stringValue ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
