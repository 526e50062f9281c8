import ArgumentParser
import Foundation
import SCIMBridge

extension TenantPolicy.Deactivation: ExpressibleByArgument {}
extension TenantPolicy.UserNameChange: ExpressibleByArgument {}

/// The tenant-policy flags shared by `tenant connect` and `tenant policy` (DESIGN §3). Each flag
/// changes one field of a starting policy (the stored one, or `--policy-file`); fields without
/// a flag keep their value.
struct PolicyOptions: ParsableArguments {
    @Option(help: "What active=false does in ZIA: disable (default), delete, or quarantine (move to --quarantine-group).")
    var deactivation: TenantPolicy.Deactivation?
    @Option(name: .customLong("quarantine-group"), help: "ZIA group quarantined users are moved to.") var quarantineGroup: String?
    @Option(name: .customLong("default-department"), help: "ZIA department for users whose SCIM department is absent or unknown.")
    var defaultDepartment: String?
    @Option(
        name: .customLong("domain"),
        help: "An e-mail domain the Zscaler org owns (repeatable; replaces the list). userNames in other domains are refused at once.")
    var domains: [String] = []
    @Option(name: .customLong("username-change"), help: "What a userName change does: reject (a SCIM 400) or recreate (delete + create).")
    var usernameChange: TenantPolicy.UserNameChange?
    @Flag(
        inversion: .prefixedNo,
        help: "Create missing ZIA groups and departments (OneAPI only; the default) or record an error naming them.")
    var createMissing: Bool?
    @Option(name: .customLong("policy-file"), help: "A policy JSON file to start from (keys as `tenant show` prints them).")
    var policyFile: String?

    /// True when no flag and no file was given.
    var isEmpty: Bool {
        deactivation == nil && quarantineGroup == nil && defaultDepartment == nil && domains.isEmpty && usernameChange == nil
            && createMissing == nil && policyFile == nil
    }

    /// `base` (or the policy file) with the flags applied, checked as a stored policy would be.
    func apply(to base: TenantPolicy) throws -> TenantPolicy {
        var policy = base
        if let policyFile {
            guard let data = FileManager.default.contents(atPath: policyFile) else {
                throw ValidationError("The policy file \(policyFile) cannot be read")
            }
            do {
                policy = try TenantPolicy.decode(String(decoding: data, as: UTF8.self))
            } catch {
                throw ValidationError("The policy file \(policyFile) is not a valid policy: \(Self.reason(error))")
            }
        }
        if let deactivation { policy.deactivation = deactivation }
        if let quarantineGroup { policy.quarantineGroup = try Self.name(quarantineGroup, flag: "--quarantine-group") }
        if let defaultDepartment { policy.defaultDepartment = try Self.name(defaultDepartment, flag: "--default-department") }
        if !domains.isEmpty { policy.domains = try domains.map(Self.domain) }
        if let usernameChange { policy.userNameChange = usernameChange }
        if let createMissing { policy.createMissing = createMissing }
        if policy.deactivation == .quarantine, policy.quarantineGroup == nil {
            throw ValidationError("--deactivation quarantine needs --quarantine-group NAME (the ZIA group to move users to)")
        }
        // The same checks a stored policy passes when it is read back.
        do {
            return try TenantPolicy.decode(policy.json())
        } catch {
            throw ValidationError("The policy is not valid: \(Self.reason(error))")
        }
    }

    private static func name(_ text: String, flag: String) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty, trimmed.count <= 127 else { throw ValidationError("\(flag) must be 1 to 127 characters") }
        return trimmed
    }

    private static func domain(_ text: String) throws -> String {
        var value = text.trimmingCharacters(in: .whitespaces).lowercased()
        if value.hasPrefix("@") { value.removeFirst() }
        guard value.contains("."), !value.contains("@"), !value.contains(where: \.isWhitespace) else {
            throw ValidationError("--domain \(text) is not an e-mail domain (like example.com)")
        }
        return value
    }

    /// A decoding error's own explanation, not Foundation's wrapper text.
    static func reason(_ error: any Error) -> String {
        if case DecodingError.dataCorrupted(let context) = error { return context.debugDescription }
        if case DecodingError.typeMismatch(_, let context) = error { return context.debugDescription + " at " + path(context) }
        if case DecodingError.valueNotFound(_, let context) = error { return context.debugDescription + " at " + path(context) }
        return "\(error)"
    }

    private static func path(_ context: DecodingError.Context) -> String {
        context.codingPath.map(\.stringValue).joined(separator: ".")
    }
}
