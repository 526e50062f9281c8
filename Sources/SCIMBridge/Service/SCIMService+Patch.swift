import SCIMCore

extension SCIMService {
    /// `PATCH /{Users|Groups}/{id}` (RFC 7644 §3.5.2), applied atomically.
    ///
    /// Group membership is never read and rewritten whole when it need not be: member operations
    /// that name whole members (add, replace, remove all, remove by id) become membership steps
    /// the store applies as deltas. Only an operation that needs the member list itself (a filter
    /// on member type, a member's sub-attribute) loads it, and then the change is still written
    /// as a delta.
    ///
    /// The answer is 200 with the resource (projected by `attributes`/`excludedAttributes`, so
    /// `?excludedAttributes=members` keeps a big group's answer small). With
    /// `groupPatchNoContent`, groups answer 204 unless attributes were asked for, as RFC 7644
    /// §3.5.2 allows.
    public func patch(
        _ request: SCIMRequest, kind: ResourceKind, id: String, body: JSONValue, ifMatch: String? = nil, attributes: [String] = [],
        excludedAttributes: [String] = []
    ) async throws(SCIMError) -> SCIMResponse {
        let patch = try PatchRequest.decode(body, profile: request.profile, maxOperations: configuration.maxPatchOperations)
        return try await retryingConcurrentWrites(ifMatch: ifMatch) {
            try await patchOnce(
                request, kind: kind, id: id, patch: patch, ifMatch: ifMatch, attributes: attributes, excludedAttributes: excludedAttributes)
        }
    }

    func patchOnce(
        _ request: SCIMRequest, kind: ResourceKind, id: String, patch: PatchRequest, ifMatch: String?, attributes: [String],
        excludedAttributes: [String]
    ) async throws -> SCIMResponse {
        let definition = definition(kind)
        let existing = try await existing(request, kind, id)
        try checkIfMatch(ifMatch, existing)
        let engine = PatchEngine(
            definition: definition, profile: request.profile, maxOperations: configuration.maxPatchOperations,
            maxStringBytes: configuration.maxStringBytes)

        var before = existing.attributes
        before["id"] = .string(existing.id)
        var attributeOps: [PatchRequest.Operation] = []
        var memberOps: [MemberOperation] = []
        var needsFullMembers = false
        if kind == .group, let membersAttribute = definition.core.attribute(named: "members") {
            for op in patch.operations {
                for part in try splitMembers(op, definition: definition) {
                    if let memberOp = try classify(part, membersAttribute: membersAttribute, engine: engine) {
                        memberOps.append(memberOp)
                    } else if targetsMembers(part, definition: definition) {
                        needsFullMembers = true
                        attributeOps.append(part)
                    } else {
                        attributeOps.append(part)
                    }
                }
            }
        } else {
            attributeOps = patch.operations
        }

        var after: JSONObject
        var steps: [MembershipStep] = []
        if needsFullMembers {
            // Apply everything, members included, to the full resource; then store the difference.
            let current = try await store(request).members(groupID: id)
            var full = before
            if !current.isEmpty {
                full["members"] = .array(
                    current.map { m in
                        var o = JSONObject([("value", .string(m.id)), ("type", .string(m.kind.rawValue))])
                        if let d = m.display { o["display"] = .string(d) }
                        return .object(o)
                    })
            }
            after = try engine.apply(patch, to: full)
            let newMembers = after["members"]?.arrayValue ?? []
            after["members"] = nil
            let newRecords = try await memberRecords(request, newMembers, groupID: id)
            let old = Dictionary(uniqueKeysWithValues: current.map { ($0.id, $0) })
            let new = Dictionary(uniqueKeysWithValues: newRecords.map { ($0.id, $0) })
            let removed = current.filter { new[$0.id] != $0 }.map(\.id)
            let added = newRecords.filter { old[$0.id] != $0 }
            if !removed.isEmpty { steps.append(.remove(removed)) }
            if !added.isEmpty { steps.append(.add(added)) }
        } else {
            after = attributeOps.isEmpty ? before : try engine.apply(PatchRequest(operations: attributeOps), to: before)
            for op in memberOps {
                switch op {
                case .add(let values): steps.append(.add(try await memberRecords(request, values, groupID: id)))
                case .replace(let values): steps.append(.replace(try await memberRecords(request, values, groupID: id)))
                case .remove(let ids): steps.append(.remove(ids))
                case .removeAll: steps.append(.removeAll)
                }
            }
        }
        after["id"] = nil
        if after != existing.attributes { try validator(definition, request).checkRequired(after) }
        var password = try takePassword(request, kind: kind, id: id, existing: existing, from: &after)
        // `remove password` (or a replace with null or ""): nothing is left to take, but the
        // kept one must go too.
        if kind == .user, password == .keep,
            patch.operations.contains(where: { op in
                op.path.map { $0.attribute.subAttribute == nil && CaseFolding.equal($0.attribute.name, "password") }
                    ?? (op.value?.objectValue?.index(forKeyIgnoringCase: "password") != nil)
            })
        {
            password = .clear
        }

        var resource = existing
        if kind == .user, after != existing.attributes { try await checkUserForZscaler(request, after, previous: existing) }
        if kind == .group, !steps.isEmpty { try await checkGroupCapacity(request, groupID: id, steps: steps) }
        let memberLane = kind == .group ? try await addedMemberLane(request, groupAttributes: after) : SyncLane.bulk
        if after == existing.attributes, !steps.isEmpty, ifMatch == nil, password == .keep {
            // Only membership changes and no optimistic lock asked for: apply the deltas whatever
            // the version is now, so a burst of member PATCHes to one group never conflicts.
            resource.lastModified = configuration.clock()
            let change = Change(
                .membership(groupID: id, steps: steps), at: resource.lastModified, addedMemberLane: memberLane, action: "patch",
                actor: request.actor)
            resource.version = try await commit(request, change).version ?? resource.version
        } else if after != existing.attributes || !steps.isEmpty || password != .keep {
            resource.attributes = after
            resource.version += 1
            resource.lastModified = configuration.clock()
            let write = ResourceWrite(
                resource: resource, expectedVersion: existing.version, membership: steps, uniqueDisplayName: uniqueDisplayName(kind),
                password: password)
            let change = Change(
                .put(write), at: resource.lastModified, lane: lane(old: existing.attributes, new: after), addedMemberLane: memberLane,
                action: "patch", actor: request.actor)
            _ = try await commit(request, change)
        }
        let etag = EntityTag.of(version: resource.version)
        if kind == .group, configuration.groupPatchNoContent, attributes.isEmpty, excludedAttributes.isEmpty {
            return SCIMResponse(
                body: JSONObject(), etag: etag, location: ResourceRenderer(baseURL: request.baseURL).location(kind, id), noContent: true)
        }
        let projection = try Projection(definition: definition, attributes: attributes, excludedAttributes: excludedAttributes)
        return try await response(request, resource, projection: projection)
    }

    /// A member operation the store can apply without the member list.
    enum MemberOperation {
        case add([JSONValue])
        case replace([JSONValue])
        case remove([String])
        case removeAll
    }

    func isMembersPath(_ path: AttributePath, definition: ResourceDefinition) -> Bool {
        guard let resolved = definition.resolve(AttributePath(schema: path.schema, name: path.name)) else { return false }
        return !resolved.isExtension && resolved.attribute.name == "members"
    }

    func targetsMembers(_ op: PatchRequest.Operation, definition: ResourceDefinition) -> Bool {
        guard let path = op.path else { return false }
        return isMembersPath(path.attribute, definition: definition)
    }

    /// Splits a path-less operation whose value carries `members` into a members operation and
    /// the rest, so that the members part can become a delta.
    func splitMembers(_ op: PatchRequest.Operation, definition: ResourceDefinition) throws(SCIMError) -> [PatchRequest.Operation] {
        guard op.path == nil, case .object(let value) = op.value ?? .null, let i = value.index(forKeyIgnoringCase: "members") else {
            return [op]
        }
        var rest = value
        let members = value.members[i].value
        rest.removeValue(forKeyIgnoringCase: "members")
        var parts: [PatchRequest.Operation] = []
        if !rest.isEmpty { parts.append(PatchRequest.Operation(kind: op.kind, value: .object(rest))) }
        parts.append(
            PatchRequest.Operation(
                kind: op.kind, path: PatchPath(attribute: AttributePath(name: "members")), value: members, pathText: "members"))
        return parts
    }

    /// The delta form of a members operation, or `nil` when it needs the member list.
    func classify(_ op: PatchRequest.Operation, membersAttribute: SchemaAttribute, engine: PatchEngine) throws(SCIMError)
        -> MemberOperation?
    {
        guard let path = op.path, isMembersPath(path.attribute, definition: groupDefinition), path.subAttribute == nil else { return nil }
        let coercer = ValueCoercer(profile: engine.profile, maxStringBytes: configuration.maxStringBytes)
        if let filter = path.filter {
            guard op.kind == .remove, let ids = Self.memberIDs(in: filter) else { return nil }
            return .remove(ids)
        }
        switch op.kind {
        case .add, .replace:
            let values = try coercer.coerce(op.value ?? .null, for: membersAttribute, path: "members")?.arrayValue ?? []
            return op.kind == .add ? .add(values) : .replace(values)
        case .remove:
            guard let listed = op.value, !listed.isNull else { return .removeAll }
            let values = try engine.valuesToRemove(listed, attribute: membersAttribute, path: op.pathText ?? "members")
            return .remove(values.compactMap { $0.objectValue?["value"]?.stringValue })
        }
    }

    /// The ids of `value eq "x"` or an `or` of them (Okta/Entra member removal filters).
    static func memberIDs(in filter: Filter) -> [String]? {
        switch filter {
        case .comparison(let p, .eq, .string(let id)) where p.schema == nil && p.subAttribute == nil && CaseFolding.equal(p.name, "value"):
            return [id]
        case .or(let l, let r):
            guard let a = memberIDs(in: l), let b = memberIDs(in: r) else { return nil }
            return a + b
        default:
            return nil
        }
    }
}
