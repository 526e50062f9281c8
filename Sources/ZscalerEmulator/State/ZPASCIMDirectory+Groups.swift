import Foundation

/// The `/Groups` rules of ZPA's SCIM server (reference §9.2): membership is only changed here
/// (PATCH add/replace/remove on `members`, 204), lists omit members, members only on GET by id.
extension ZPASCIMDirectory {
    mutating func createGroup(_ body: EmulatorJSON, adminId: Int, now: Date, maxGroupsPerUser: Int) throws(SCIMWireError) -> ZPASCIMGroup {
        guard case .object = body else { throw .invalidSyntax("The request body must be a JSON object") }
        let displayName = try requireDisplayName(body, except: nil)
        var group = ZPASCIMGroup(
            id: UUID().uuidString.lowercased(), adminId: adminId, displayName: displayName,
            externalId: try optionalString(body[caseInsensitive: "externalId"], "externalId"), members: [], created: now, lastModified: now)
        if let members = body[caseInsensitive: "members"] {
            group.members = try memberIds(members, adding: [], to: group, max: maxGroupsPerUser)
        }
        groups[group.id] = group
        return group
    }

    mutating func replaceGroup(id: String, _ body: EmulatorJSON, now: Date, maxGroupsPerUser: Int) throws(SCIMWireError) -> ZPASCIMGroup {
        guard var group = groups[id] else { throw .notFound("Group \(id) not found") }
        guard case .object = body else { throw .invalidSyntax("The request body must be a JSON object") }
        if let sentId = body[caseInsensitive: "id"]?.stringValue, sentId != id { throw .mutability("id cannot be changed") }
        group.displayName = try requireDisplayName(body, except: id)
        group.externalId = try optionalString(body[caseInsensitive: "externalId"], "externalId")
        group.members = []
        group.members = try memberIds(body[caseInsensitive: "members"] ?? .array([]), adding: [], to: group, max: maxGroupsPerUser)
        group.lastModified = now
        groups[id] = group
        return group
    }

    mutating func patchGroup(id: String, _ body: EmulatorJSON, now: Date, maxGroupsPerUser: Int) throws(SCIMWireError) {
        guard var group = groups[id] else { throw .notFound("Group \(id) not found") }
        for operation in try Self.patchOperations(body) {
            if operation.path == nil {
                guard case .object(let members)? = operation.value else {
                    throw .invalidValue("A patch without path needs an object value")
                }
                for (key, value) in members {
                    try applyGroup(
                        .init(kind: operation.kind, path: try SCIMPatchPath.parse(key), value: value), to: &group, max: maxGroupsPerUser)
                }
                continue
            }
            try applyGroup(operation, to: &group, max: maxGroupsPerUser)
        }
        group.lastModified = now
        groups[id] = group
    }

    private func applyGroup(_ operation: PatchOperation, to group: inout ZPASCIMGroup, max: Int) throws(SCIMWireError) {
        guard let path = operation.path else { return }
        switch path.attribute.lowercased() {
        case "members":
            if let filter = path.valueFilter {
                guard filter.path.lowercased() == "value", case .string(let member) = filter.value, operation.kind == .remove else {
                    throw .invalidPath("Only remove of members[value eq \"id\"] is supported")
                }
                group.members.removeAll { $0 == member }
                return
            }
            switch operation.kind {
            case .add:
                group.members = try memberIds(operation.value ?? .array([]), adding: group.members, to: group, max: max)
            case .replace:
                group.members = try memberIds(operation.value ?? .array([]), adding: [], to: group, max: max)
            case .remove:
                // Without a value every member goes; with a value list only those (Entra sends that).
                guard let value = operation.value else {
                    group.members = []
                    return
                }
                let removed = Set(try Self.memberValues(value))
                group.members.removeAll { removed.contains($0) }
            }
        case "displayname":
            guard operation.kind != .remove else { throw .mutability("displayName is required") }
            guard case .string(let name)? = operation.value, !name.isEmpty else { throw .invalidValue("displayName must be a string") }
            if groups.values.contains(where: { $0.id != group.id && $0.displayName.caseInsensitiveCompare(name) == .orderedSame }) {
                throw .uniqueness("A group named \(name) already exists")
            }
            group.displayName = name
        case "externalid":
            group.externalId = operation.kind == .remove ? nil : try optionalString(operation.value, "externalId")
        default:
            throw .invalidPath("Attribute \(path.attribute) of a group cannot be patched")
        }
    }

    mutating func deleteGroup(id: String) throws(SCIMWireError) {
        guard groups.removeValue(forKey: id) != nil else { throw .notFound("Group \(id) not found") }
    }

    /// Groups in `sortBy=displayName` order when asked (`sortOrder=descending` reverses), else by
    /// creation.
    func listGroups(filter: SCIMEqualityFilter?, sortByName: Bool, descending: Bool) throws(SCIMWireError) -> [ZPASCIMGroup] {
        var result = groups.values.sorted { ($0.created, $0.id) < ($1.created, $1.id) }
        if sortByName { result.sort { $0.displayName.lowercased() < $1.displayName.lowercased() } }
        if descending { result.reverse() }
        guard let filter else { return result }
        for clause in filter.clauses where !["displayname", "externalid", "id", "members.value"].contains(clause.path.lowercased()) {
            throw .invalidFilter("Groups can be filtered by displayName, externalId, id or members.value, not \(clause.path)")
        }
        return result.filter { group in
            filter.clauses.allSatisfy { clause in
                guard case .string(let value) = clause.value else { return false }
                switch clause.path.lowercased() {
                case "displayname": return group.displayName.caseInsensitiveCompare(value) == .orderedSame
                case "externalid": return group.externalId == value
                case "id": return group.id == value
                default: return group.members.contains(value)
                }
            }
        }
    }

    func render(_ group: ZPASCIMGroup, location: String, userLocation: (String) -> String, includeMembers: Bool) -> EmulatorJSON {
        var document: [String: EmulatorJSON] = [
            "schemas": .array([.string(SCIMWire.groupSchema)]), "id": .string(group.id), "displayName": .string(group.displayName),
            "meta": .object([
                "resourceType": .string("Group"), "created": .string(SCIMWire.timestamp(group.created)),
                "lastModified": .string(SCIMWire.timestamp(group.lastModified)), "location": .string(location),
            ]),
        ]
        if let externalId = group.externalId { document["externalId"] = .string(externalId) }
        if includeMembers {
            document["members"] = .array(
                group.members.map { id in
                    var member: [String: EmulatorJSON] = ["value": .string(id), "$ref": .string(userLocation(id))]
                    if let name = users[id]?.attributes["displayName"] ?? users[id]?.attributes["userName"] { member["display"] = name }
                    return .object(member)
                })
        }
        return .object(document)
    }

    private func requireDisplayName(_ body: EmulatorJSON, except id: String?) throws(SCIMWireError) -> String {
        guard case .string(let name)? = body[caseInsensitive: "displayName"], !name.isEmpty else {
            throw .invalidValue("displayName is required")
        }
        if groups.values.contains(where: { $0.id != id && $0.displayName.caseInsensitiveCompare(name) == .orderedSame }) {
            throw .uniqueness("A group named \(name) already exists")
        }
        return name
    }

    private func optionalString(_ value: EmulatorJSON?, _ name: String) throws(SCIMWireError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .invalidValue("\(name) must be a string")
        }
    }

    /// Member ids from `[{"value": id}, …]`, each an existing user, appended to `existing`
    /// without duplicates; a user may not pass `max` groups.
    private func memberIds(_ value: EmulatorJSON, adding existing: [String], to group: ZPASCIMGroup, max: Int) throws(SCIMWireError)
        -> [String]
    {
        var result = existing
        for id in try Self.memberValues(value) where !result.contains(id) {
            guard users[id] != nil else { throw .invalidValue("Member \(id) is not a user of this IdP") }
            let memberships = groups.values.filter { $0.id != group.id && $0.members.contains(id) }.count
            guard memberships < max else { throw .invalidValue("User \(id) already belongs to \(max) groups") }
            result.append(id)
        }
        return result
    }

    private static func memberValues(_ value: EmulatorJSON) throws(SCIMWireError) -> [String] {
        let items = value.arrayValue ?? [value]
        var ids: [String] = []
        for item in items {
            guard case .string(let id)? = item[caseInsensitive: "value"] else { throw .invalidValue("members need a value") }
            ids.append(id)
        }
        return ids
    }
}
