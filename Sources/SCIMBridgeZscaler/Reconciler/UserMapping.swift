import Foundation
import SCIMBridge
import SCIMCore
import ZscalerAPI

/// The ZIA user a SCIM user should be (DESIGN §3), before ids are resolved.
struct DesiredUser: Sendable, Equatable {
    var email: String
    var name: String
    var active: Bool
    var department: String?

    init(_ attributes: JSONObject) {
        email = ZIAUserRules.email(attributes)
        name = ZIAUserRules.displayName(attributes)
        active = ZIAUserRules.isActive(attributes)
        department = ZIAUserRules.department(attributes)
    }
}

/// What a user's ZIA side should be, with ids resolved.
struct UserPlan: Sendable {
    var desired: DesiredUser
    var department: ZIAReference
    var groups: Set<Int>
    var disabled: Bool
    /// Deprovisioning: activate at once after the write.
    var priority: Bool
}

enum UserMapping {
    /// The user to PUT: what ZIA has, with the fields zscim owns set from the desired state. The
    /// group list is read-modify-write: groups zscim does not manage (added in the Zscaler
    /// console) are kept, managed ones are exactly the desired ones.
    static func merged(
        current: ZIAUser, name: String, department: ZIAReference, disabled: Bool, groups desired: Set<Int>, managed: Set<Int>
    )
        -> ZIAUser
    {
        var user = current
        user.name = name
        user.department = ZIAReference(id: department.id, name: department.name)
        user.disabled = disabled
        let kept = current.groups.filter { !managed.contains($0.id) && !desired.contains($0.id) }
        user.groups = kept + desired.sorted().map { ZIAReference(id: $0) }
        user.password = nil
        return user
    }

    /// Whether a PUT would change anything zscim owns.
    static func differs(_ a: ZIAUser, _ b: ZIAUser) -> Bool {
        a.name != b.name || a.department?.id != b.department?.id || a.isDisabled != b.isDisabled
            || Set(a.groups.map(\.id)) != Set(b.groups.map(\.id))
    }

    /// A password for a new hosted-database user: 24 characters from every class ZIA's policy
    /// may demand. Nobody signs in with it (SAML does); it exists because ZIA requires one.
    static func generatedPassword() -> String {
        let classes: [[Character]] = [
            Array("abcdefghijkmnopqrstuvwxyz"), Array("ABCDEFGHJKLMNPQRSTUVWXYZ"), Array("23456789"), Array("!#%+=?@^_-"),
        ]
        var generator = SystemRandomNumberGenerator()
        var chars: [Character] = []
        for characterClass in classes { chars.append(characterClass.randomElement(using: &generator)!) }
        let all: [Character] = classes.flatMap { $0 }
        while chars.count < 24 { chars.append(all.randomElement(using: &generator)!) }
        return String(chars.shuffled(using: &generator))
    }

    /// What is remembered of a user before its create is sent: enough to find it again.
    static func lookupKey(email: String, name: String) -> String {
        var o = JSONObject()
        o["email"] = .string(email)
        o["name"] = .string(name)
        return JSONValue.object(o).serialized()
    }

    static func parseLookupKey(_ text: String?) -> (email: String, name: String)? {
        guard let text, let value = try? JSONParser().parse(Array(text.utf8)), let email = value["email"]?.stringValue,
            let name = value["name"]?.stringValue
        else { return nil }
        return (email, name)
    }

    static func observed(_ user: ZIAUser) -> String {
        var copy = user
        copy.password = nil
        return String(decoding: (try? JSONEncoder().encode(copy)) ?? Data(), as: UTF8.self)
    }

    static func observedUser(_ text: String?) -> ZIAUser? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(ZIAUser.self, from: Data(text.utf8))
    }
}

/// What is remembered of a ZIA group: its name, and whether zscim created it (only those are
/// renamed or deleted in ZIA; groups that existed are mapped, never changed).
struct ObservedGroup: Codable, Sendable, Equatable {
    var name: String
    var createdByZscim: Bool

    var json: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data(), as: UTF8.self) }

    static func decode(_ text: String?) -> ObservedGroup? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(ObservedGroup.self, from: Data(text.utf8))
    }
}
