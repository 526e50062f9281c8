import Foundation

/// The `/Users` rules of ZPA's SCIM server (reference §9.2): the documented attributes only (no
/// custom ones), `userName` required and unique, group data on a user ignored, and `active=false`
/// deleting the user.
extension ZPASCIMDirectory {
    /// Attributes kept on a user; anything else a client sends is dropped.
    enum UserSchema {
        static let strings = ["userName", "displayName", "nickName", "userType", "title", "externalId"]
        static let nameParts = ["formatted", "givenName", "familyName"]
        static let enterpriseParts = ["department", "costCenter", "division", "organization"]
        static let emailParts = ["value", "type", "primary", "display"]

        /// The canonical spelling of a top-level attribute, or `nil` if it is not kept.
        static func canonical(_ name: String) -> String? {
            (strings + ["active", "name", "emails", SCIMWire.enterpriseSchema]).first { $0.caseInsensitiveCompare(name) == .orderedSame }
        }

        /// Keeps the documented attributes with the right types; wrong types are `invalidValue`.
        static func sanitize(_ document: [String: EmulatorJSON]) throws(SCIMWireError) -> [String: EmulatorJSON] {
            var result: [String: EmulatorJSON] = [:]
            for (key, value) in document where value != .null {
                guard let name = canonical(key) else { continue }
                switch name {
                case "active": result[name] = .bool(try boolean(value, attribute: name))
                case "name": result[name] = try complex(value, parts: nameParts, attribute: name)
                case SCIMWire.enterpriseSchema: result[name] = try complex(value, parts: enterpriseParts, attribute: name)
                case "emails":
                    guard case .array(let items) = value else { throw .invalidValue("emails must be an array") }
                    var emails: [EmulatorJSON] = []
                    for item in items {
                        guard case .object(let members) = item, members.keys.contains(where: { $0.lowercased() == "value" }) else {
                            throw .invalidValue("each email needs a value")
                        }
                        var email: [String: EmulatorJSON] = [:]
                        for (part, partValue) in members {
                            guard let canonicalPart = emailParts.first(where: { $0.caseInsensitiveCompare(part) == .orderedSame }) else {
                                continue
                            }
                            if canonicalPart == "primary" {
                                email[canonicalPart] = .bool(try boolean(partValue, attribute: "emails.primary"))
                            } else {
                                guard case .string = partValue else { throw .invalidValue("emails.\(canonicalPart) must be a string") }
                                email[canonicalPart] = partValue
                            }
                        }
                        emails.append(.object(email))
                    }
                    result[name] = .array(emails)
                default:
                    guard case .string = value else { throw .invalidValue("\(name) must be a string") }
                    result[name] = value
                }
            }
            return result
        }

        /// Booleans, also as the strings `"true"`/`"false"` that ZPA's own examples and Entra send.
        static func boolean(_ value: EmulatorJSON, attribute: String) throws(SCIMWireError) -> Bool {
            switch value {
            case .bool(let flag): return flag
            case .string(let text) where text.lowercased() == "true": return true
            case .string(let text) where text.lowercased() == "false": return false
            default: throw .invalidValue("\(attribute) must be a boolean")
            }
        }

        private static func complex(_ value: EmulatorJSON, parts: [String], attribute: String) throws(SCIMWireError) -> EmulatorJSON {
            guard case .object(let members) = value else { throw .invalidValue("\(attribute) must be an object") }
            var result: [String: EmulatorJSON] = [:]
            for (key, partValue) in members where partValue != .null {
                guard let part = parts.first(where: { $0.caseInsensitiveCompare(key) == .orderedSame }) else { continue }
                guard case .string = partValue else { throw .invalidValue("\(attribute).\(part) must be a string") }
                result[part] = partValue
            }
            return .object(result)
        }
    }

    func user(named userName: String, except id: String? = nil) -> ZPASCIMUser? {
        users.values.first { $0.id != id && $0.attributes["userName"]?.stringValue?.caseInsensitiveCompare(userName) == .orderedSame }
    }

    /// Creates a user; returns it and whether it was kept (an inactive user is deleted at once
    /// when `inactiveDeletes`).
    mutating func createUser(_ body: EmulatorJSON, now: Date, inactiveDeletes: Bool) throws(SCIMWireError) -> (ZPASCIMUser, stored: Bool) {
        guard case .object(let document) = body else { throw .invalidSyntax("The request body must be a JSON object") }
        let attributes = try UserSchema.sanitize(document)
        _ = try requireUserName(attributes, except: nil)
        let user = ZPASCIMUser(id: UUID().uuidString.lowercased(), attributes: attributes, created: now, lastModified: now)
        if inactiveDeletes, attributes["active"] == .bool(false) { return (user, false) }
        users[user.id] = user
        return (user, true)
    }

    mutating func replaceUser(id: String, _ body: EmulatorJSON, now: Date, inactiveDeletes: Bool) throws(SCIMWireError) -> ZPASCIMUser {
        guard var user = users[id] else { throw .notFound("User \(id) not found") }
        guard case .object(let document) = body else { throw .invalidSyntax("The request body must be a JSON object") }
        if let sentId = document["id"]?.stringValue, sentId != id { throw .mutability("id cannot be changed") }
        user.attributes = try UserSchema.sanitize(document)
        _ = try requireUserName(user.attributes, except: id)
        user.lastModified = now
        return store(user, inactiveDeletes: inactiveDeletes)
    }

    mutating func patchUser(id: String, _ body: EmulatorJSON, now: Date, inactiveDeletes: Bool) throws(SCIMWireError) -> ZPASCIMUser {
        guard var user = users[id] else { throw .notFound("User \(id) not found") }
        var attributes = user.attributes
        for operation in try Self.patchOperations(body) {
            try Self.apply(operation, to: &attributes)
        }
        user.attributes = try UserSchema.sanitize(attributes)
        _ = try requireUserName(user.attributes, except: id)
        user.lastModified = now
        return store(user, inactiveDeletes: inactiveDeletes)
    }

    mutating func deleteUser(id: String) throws(SCIMWireError) {
        guard users.removeValue(forKey: id) != nil else { throw .notFound("User \(id) not found") }
        for groupId in groups.keys { groups[groupId]?.members.removeAll { $0 == id } }
    }

    /// Keeps the user, or deletes it when it was made inactive and inactive means deleted.
    private mutating func store(_ user: ZPASCIMUser, inactiveDeletes: Bool) -> ZPASCIMUser {
        if inactiveDeletes, user.attributes["active"] == .bool(false) {
            try? deleteUser(id: user.id)
        } else {
            users[user.id] = user
        }
        return user
    }

    private func requireUserName(_ attributes: [String: EmulatorJSON], except id: String?) throws(SCIMWireError) -> String {
        guard let userName = attributes["userName"]?.stringValue, !userName.isEmpty else {
            throw .invalidValue("userName is required")
        }
        if user(named: userName, except: id) != nil { throw .uniqueness("A user with userName \(userName) already exists") }
        return userName
    }

    func listUsers(filter: SCIMEqualityFilter?) -> [ZPASCIMUser] {
        users.values.sorted { ($0.created, $0.id) < ($1.created, $1.id) }.filter { user in
            filter?.clauses.allSatisfy { clause in Self.matches(user, clause) } ?? true
        }
    }

    private static func matches(_ user: ZPASCIMUser, _ clause: SCIMEqualityFilter.Clause) -> Bool {
        let path = clause.path.lowercased()
        let candidates: [EmulatorJSON]
        switch path {
        case "id": candidates = [.string(user.id)]
        case "emails.value", "emails":
            candidates = user.attributes["emails"]?.arrayValue?.compactMap { $0[caseInsensitive: "value"] } ?? []
        default:
            guard let name = UserSchema.canonical(path), let value = user.attributes[name] else { return false }
            candidates = [value]
        }
        let caseExact = path == "id" || path == "externalid"
        return candidates.contains { candidate in
            if !caseExact, case .string(let left) = candidate, case .string(let right) = clause.value {
                return left.caseInsensitiveCompare(right) == .orderedSame
            }
            return candidate == clause.value
        }
    }

    func render(_ user: ZPASCIMUser, location: String) -> EmulatorJSON {
        var document = user.attributes
        var schemas: [EmulatorJSON] = [.string(SCIMWire.userSchema)]
        if document[SCIMWire.enterpriseSchema] != nil { schemas.append(.string(SCIMWire.enterpriseSchema)) }
        document["schemas"] = .array(schemas)
        document["id"] = .string(user.id)
        if document["active"] == nil { document["active"] = .bool(true) }
        document["meta"] = .object([
            "resourceType": .string("User"), "created": .string(SCIMWire.timestamp(user.created)),
            "lastModified": .string(SCIMWire.timestamp(user.lastModified)), "location": .string(location),
        ])
        return .object(document)
    }

    // MARK: PATCH (RFC 7644 §3.5.2) on a user's attributes

    struct PatchOperation {
        enum Kind: String { case add, replace, remove }
        var kind: Kind
        var path: SCIMPatchPath?
        var value: EmulatorJSON?
    }

    static func patchOperations(_ body: EmulatorJSON) throws(SCIMWireError) -> [PatchOperation] {
        guard case .object(let document) = body else { throw .invalidSyntax("The request body must be a JSON object") }
        guard document["schemas"]?.arrayValue?.contains(.string(SCIMWire.patchSchema)) == true else {
            throw .invalidSyntax("schemas must contain \(SCIMWire.patchSchema)")
        }
        guard case .array(let items)? = document["Operations"] ?? document["operations"], !items.isEmpty else {
            throw .invalidSyntax("Operations must be a non-empty array")
        }
        var operations: [PatchOperation] = []
        for item in items {
            guard case .object(let members) = item, let opName = (members["op"] ?? members["Op"])?.stringValue,
                let kind = PatchOperation.Kind(rawValue: opName.lowercased())
            else { throw .invalidSyntax("Each operation needs an op of add, replace or remove") }
            let path = try members["path"]?.stringValue.map { (text: String) throws(SCIMWireError) in try SCIMPatchPath.parse(text) }
            if kind == .remove, path == nil { throw .noTarget("remove needs a path") }
            if kind != .remove, members["value"] == nil { throw .invalidSyntax("\(opName) needs a value") }
            operations.append(PatchOperation(kind: kind, path: path, value: members["value"]))
        }
        return operations
    }

    static func apply(_ operation: PatchOperation, to attributes: inout [String: EmulatorJSON]) throws(SCIMWireError) {
        guard let path = operation.path else {
            guard case .object(let members)? = operation.value else { throw .invalidValue("A patch without path needs an object value") }
            for (key, value) in members {
                if key.lowercased().hasPrefix(SCIMWire.enterpriseSchema.lowercased() + ":") || key.contains(".") {
                    try apply(PatchOperation(kind: operation.kind, path: try SCIMPatchPath.parse(key), value: value), to: &attributes)
                    continue
                }
                guard let name = UserSchema.canonical(key) else { continue }
                if case .object(let incoming) = value, case .object(var existing)? = attributes[name] {
                    for (part, partValue) in incoming { existing[part] = partValue }
                    attributes[name] = .object(existing)
                } else if operation.kind == .add, name == "emails", case .array(let added) = value {
                    attributes[name] = .array((attributes[name]?.arrayValue ?? []) + added)
                } else {
                    attributes[name] = value
                }
            }
            return
        }
        let name: String
        var sub = path.subAttribute
        if path.schema == SCIMWire.enterpriseSchema {
            guard sub == nil, path.valueFilter == nil else { throw .invalidPath("Unsupported path into the enterprise extension") }
            name = SCIMWire.enterpriseSchema
            sub = path.attribute
        } else {
            guard let canonical = UserSchema.canonical(path.attribute) else {
                if operation.kind == .remove { return }
                throw .invalidPath("Attribute \(path.attribute) is not supported")
            }
            name = canonical
        }
        if let filter = path.valueFilter {
            try applyFiltered(operation, name: name, filter: filter, sub: sub, to: &attributes)
            return
        }
        if let sub {
            var object = attributes[name]?.objectValue ?? [:]
            let key = object.keys.first { $0.caseInsensitiveCompare(sub) == .orderedSame } ?? sub
            object[key] = operation.kind == .remove ? nil : operation.value
            attributes[name] = .object(object)
            return
        }
        switch operation.kind {
        case .remove: attributes[name] = nil
        case .add where name == "emails":
            let added = operation.value?.arrayValue ?? operation.value.map { [$0] } ?? []
            attributes[name] = .array((attributes[name]?.arrayValue ?? []) + added)
        case .add, .replace: attributes[name] = operation.value
        }
    }

    /// `emails[type eq "work"]` and `emails[type eq "work"].value`. A replace that matches nothing
    /// adds a new element carrying the filter's value (what Entra relies on).
    private static func applyFiltered(
        _ operation: PatchOperation, name: String, filter: SCIMEqualityFilter.Clause, sub: String?,
        to attributes: inout [String: EmulatorJSON]
    ) throws(SCIMWireError) {
        guard name == "emails" else { throw .invalidPath("Filters are only supported on emails") }
        var items = attributes[name]?.arrayValue ?? []
        let matching = items.indices.filter { index in
            guard let value = items[index][caseInsensitive: filter.path] else { return false }
            if case .string(let left) = value, case .string(let right) = filter.value {
                return left.caseInsensitiveCompare(right) == .orderedSame
            }
            return value == filter.value
        }
        switch operation.kind {
        case .remove:
            if let sub {
                for index in matching {
                    items[index] = .object((items[index].objectValue ?? [:]).filter { $0.key.lowercased() != sub.lowercased() })
                }
            } else {
                for index in matching.reversed() { items.remove(at: index) }
            }
        case .add, .replace:
            guard let value = operation.value else { return }
            if matching.isEmpty {
                var element: [String: EmulatorJSON] = [filter.path: filter.value]
                if let sub { element[sub] = value } else if case .object(let members) = value { element.merge(members) { $1 } }
                items.append(.object(element))
            }
            for index in matching {
                var element = items[index].objectValue ?? [:]
                if let sub { element[sub] = value } else if case .object(let members) = value { element.merge(members) { $1 } }
                items[index] = .object(element)
            }
        }
        attributes[name] = .array(items)
    }
}
