import Foundation
import SCIMCore

extension SCIMService {
    /// `POST /{Users|Groups}`: validate, assign an id, store. Answers 201 with the resource.
    public func create(
        _ request: SCIMRequest, kind: ResourceKind, body: JSONValue, attributes: [String] = [], excludedAttributes: [String] = []
    ) async throws(SCIMError) -> SCIMResponse {
        let definition = definition(kind)
        var validated = try validator(definition, request).validate(body)
        let steps = try await membershipFromBody(request, kind: kind, &validated, selfID: nil)
        if kind == .user { try await checkUserForZscaler(request, validated, previous: nil) }
        let id = UUID().uuidString.lowercased()
        if kind == .group { try await checkGroupCapacity(request, groupID: id, steps: steps) }
        let password = try takePassword(request, kind: kind, id: id, existing: nil, from: &validated)
        let now = configuration.clock()
        let resource = StoredResource(kind: kind, id: id, version: 1, created: now, lastModified: now, attributes: validated)
        let change = Change(
            .put(
                ResourceWrite(
                    resource: resource, expectedVersion: nil, membership: steps, uniqueDisplayName: uniqueDisplayName(kind),
                    password: password)),
            at: now, lane: .bulk, addedMemberLane: kind == .group ? try await addedMemberLane(request, groupAttributes: validated) : .bulk,
            action: "create", actor: request.actor)
        _ = try await commitOnce(request, change)
        let projection = try Projection(definition: definition, attributes: attributes, excludedAttributes: excludedAttributes)
        return try await response(request, resource, projection: projection)
    }

    /// `PUT /{Users|Groups}/{id}`: replaces every client-writable attribute (RFC 7644 §3.5.1);
    /// a group's member list is replaced by the one sent (none when absent).
    public func replace(
        _ request: SCIMRequest, kind: ResourceKind, id: String, body: JSONValue, ifMatch: String? = nil, attributes: [String] = [],
        excludedAttributes: [String] = []
    ) async throws(SCIMError) -> SCIMResponse {
        try await retryingConcurrentWrites(ifMatch: ifMatch) {
            try await replaceOnce(
                request, kind: kind, id: id, body: body, ifMatch: ifMatch, attributes: attributes, excludedAttributes: excludedAttributes)
        }
    }

    func replaceOnce(
        _ request: SCIMRequest, kind: ResourceKind, id: String, body: JSONValue, ifMatch: String?, attributes: [String],
        excludedAttributes: [String]
    ) async throws -> SCIMResponse {
        let definition = definition(kind)
        let existing = try await existing(request, kind, id)
        try checkIfMatch(ifMatch, existing)
        var validated = try validator(definition, request)
            .validate(body, mode: .replace(existing: existing.attributes))
        var steps = try await membershipFromBody(request, kind: kind, &validated, selfID: id)
        if kind == .group, steps.isEmpty { steps = [.removeAll] }
        if kind == .user { try await checkUserForZscaler(request, validated, previous: existing) }
        if kind == .group { try await checkGroupCapacity(request, groupID: id, steps: steps) }
        let password = try takePassword(request, kind: kind, id: id, existing: existing, from: &validated)
        var resource = existing
        resource.attributes = validated
        resource.version += 1
        resource.lastModified = configuration.clock()
        let change = Change(
            .put(
                ResourceWrite(
                    resource: resource, expectedVersion: existing.version, membership: steps, uniqueDisplayName: uniqueDisplayName(kind),
                    password: password)),
            at: resource.lastModified, lane: lane(old: existing.attributes, new: validated),
            addedMemberLane: kind == .group ? try await addedMemberLane(request, groupAttributes: validated) : .bulk, action: "replace",
            actor: request.actor)
        _ = try await commit(request, change)
        let projection = try Projection(definition: definition, attributes: attributes, excludedAttributes: excludedAttributes)
        return try await response(request, resource, projection: projection)
    }

    /// A user's `password` leaves the attributes here, sealed for the bridge (see `PasswordVault`).
    /// The bridge sends a password only when it creates the ZIA user: once `existing` is linked
    /// to one, a new password is not kept at all.
    func takePassword(_ request: SCIMRequest, kind: ResourceKind, id: String, existing: StoredResource?, from attributes: inout JSONObject)
        throws(SCIMError) -> PasswordWrite
    {
        guard kind == .user else { return .keep }
        let sealer = existing?.sync?.zscalerID == nil ? configuration.passwordSealer : nil
        return try PasswordVault.take(from: &attributes, sealer: sealer, tenantID: request.tenant.id, userID: id)
    }

    /// The body validator, with the configured cap on one string value.
    func validator(_ definition: ResourceDefinition, _ request: SCIMRequest) -> ResourceValidator {
        ResourceValidator(definition: definition, profile: request.profile, maxStringBytes: configuration.maxStringBytes)
    }

    func uniqueDisplayName(_ kind: ResourceKind) -> Bool {
        kind == .group && configuration.uniqueGroupDisplayNames
    }

    /// Takes `members` out of a validated group body and turns it into a replace step.
    func membershipFromBody(_ request: SCIMRequest, kind: ResourceKind, _ attributes: inout JSONObject, selfID: String?)
        async throws(SCIMError) -> [MembershipStep]
    {
        guard kind == .group, let members = attributes["members"] else { return [] }
        attributes["members"] = nil
        let records = try await memberRecords(request, members.arrayValue ?? [], groupID: selfID)
        return [.replace(records)]
    }

    /// Checks that every member value names a user or group of this tenant and builds the
    /// records to store. A reference to nothing is `invalidValue` (never a dangling member).
    func memberRecords(_ request: SCIMRequest, _ values: [JSONValue], groupID: String?) async throws(SCIMError) -> [MemberRecord] {
        var wanted: [(id: String, type: String?, display: String?)] = []
        var seen = Set<String>()
        for value in values {
            guard let object = value.objectValue, let id = object["value"]?.stringValue else {
                throw .invalidValue("Each member needs a \"value\" holding a user or group id")
            }
            guard seen.insert(id).inserted else { continue }
            if id == groupID { throw .invalidValue("A group cannot be a member of itself") }
            wanted.append((id, object["type"]?.stringValue, object["display"]?.stringValue))
        }
        guard !wanted.isEmpty else { return [] }
        let found = try await store(request).references(ids: wanted.map(\.id))
        let missing = wanted.filter { found[$0.id] == nil }.map(\.id)
        guard missing.isEmpty else {
            let shown = missing.prefix(5).joined(separator: ", ")
            throw .invalidValue(
                "Member\(missing.count > 1 ? "s" : "") \(shown)\(missing.count > 5 ? ", …" : "") \(missing.count > 1 ? "do" : "does") not exist"
            )
        }
        return try wanted.map { item throws(SCIMError) in
            var record = found[item.id]!
            if let type = item.type, !CaseFolding.equal(type, record.kind.rawValue) {
                throw .invalidValue("Member \(item.id) is a \(record.kind.rawValue), not a \(type)")
            }
            if let display = item.display { record.display = display }
            return record
        }
    }
}
