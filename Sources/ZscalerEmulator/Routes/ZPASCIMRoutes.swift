import Foundation
import Hummingbird

/// ZPA's per-IdP SCIM 2.0 server, `/scim/1/{idpId}/v2/Users` and `/Groups` (reference §9.2):
/// `count` default 10 and max 100, `active=false` deletes, group data on users ignored,
/// membership only through `/Groups` PATCH (204), members only on GET by id.
struct ZPASCIMRoutes {
    let core: EmulatorCore

    private var behaviour: ZPABehaviour { core.configuration.zpa }

    func register(on group: RouterGroup<EmulatorContext>) {
        group.get("Users") { request, context in
            let idpId = try idpId(context)
            let query = try parameters(of: request)
            let filter = try query.first("filter").map { (text: String) throws(SCIMWireError) in try SCIMEqualityFilter.parse(text) }
            let users = directory(idpId).listUsers(filter: filter)
            let base = base(request, idpId)
            return try list(users, query) { directory(idpId).render($0, location: "\(base)/Users/\($0.id)") }
        }
        group.post("Users") { request, context in
            let idpId = try idpId(context)
            let body = try await document(request)
            let (user, _) = try mutate(idpId) { dir throws(SCIMWireError) in
                try dir.createUser(body, now: Date(), inactiveDeletes: behaviour.scimInactiveDeletes)
            }
            return respond(201, directory(idpId).render(user, location: "\(base(request, idpId))/Users/\(user.id)"))
        }
        group.get("Users/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            guard let user = directory(idpId).users[id] else { throw SCIMWireError.notFound("User \(id) not found") }
            return respond(200, try excluding(directory(idpId).render(user, location: "\(base(request, idpId))/Users/\(id)"), request))
        }
        group.put("Users/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            let body = try await document(request)
            let user = try mutate(idpId) { dir throws(SCIMWireError) in
                try dir.replaceUser(id: id, body, now: Date(), inactiveDeletes: behaviour.scimInactiveDeletes)
            }
            return respond(200, directory(idpId).render(user, location: "\(base(request, idpId))/Users/\(id)"))
        }
        group.patch("Users/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            let body = try await document(request)
            let user = try mutate(idpId) { dir throws(SCIMWireError) in
                try dir.patchUser(id: id, body, now: Date(), inactiveDeletes: behaviour.scimInactiveDeletes)
            }
            guard behaviour.scimUserPatchReturnsBody else { return Response(status: .noContent) }
            return respond(200, directory(idpId).render(user, location: "\(base(request, idpId))/Users/\(id)"))
        }
        group.delete("Users/{id}") { _, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            try mutate(idpId) { dir throws(SCIMWireError) in try dir.deleteUser(id: id) }
            return Response(status: .noContent)
        }
        registerGroups(on: group)
    }

    private func registerGroups(on group: RouterGroup<EmulatorContext>) {
        group.get("Groups") { request, context in
            let idpId = try idpId(context)
            let query = try parameters(of: request)
            let filter = try query.first("filter").map { (text: String) throws(SCIMWireError) in try SCIMEqualityFilter.parse(text) }
            let sortBy = query.first("sortBy")
            guard sortBy == nil || sortBy?.lowercased() == "displayname" else {
                throw SCIMWireError.invalidValue("sortBy must be displayName")
            }
            let descending = query.first("sortOrder")?.lowercased() == "descending"
            let groups = try directory(idpId).listGroups(filter: filter, sortByName: sortBy != nil, descending: descending)
            let base = base(request, idpId)
            return try list(groups, query) {
                directory(idpId).render(
                    $0, location: "\(base)/Groups/\($0.id)", userLocation: { "\(base)/Users/\($0)" }, includeMembers: false)
            }
        }
        group.post("Groups") { request, context in
            let idpId = try idpId(context)
            let body = try await document(request)
            let created = try core.mutate { (state: inout EmulatorState) throws(SCIMWireError) -> ZPASCIMGroup in
                let adminId = state.zpa.allocateAdminGroupId()
                var directory = state.zpa.directories[idpId] ?? .init()
                let group = try directory.createGroup(body, adminId: adminId, now: Date(), maxGroupsPerUser: behaviour.scimMaxGroupsPerUser)
                state.zpa.directories[idpId] = directory
                return group
            }
            return respond(201, render(created, idpId, request, members: true))
        }
        group.get("Groups/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            guard let found = directory(idpId).groups[id] else { throw SCIMWireError.notFound("Group \(id) not found") }
            return respond(200, try excluding(render(found, idpId, request, members: true), request))
        }
        group.put("Groups/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            let body = try await document(request)
            let replaced = try mutate(idpId) { dir throws(SCIMWireError) in
                try dir.replaceGroup(id: id, body, now: Date(), maxGroupsPerUser: behaviour.scimMaxGroupsPerUser)
            }
            return respond(200, render(replaced, idpId, request, members: true))
        }
        group.patch("Groups/{id}") { request, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            let body = try await document(request)
            try mutate(idpId) { dir throws(SCIMWireError) in
                try dir.patchGroup(id: id, body, now: Date(), maxGroupsPerUser: behaviour.scimMaxGroupsPerUser)
            }
            return Response(status: .noContent)
        }
        group.delete("Groups/{id}") { _, context in
            let idpId = try idpId(context)
            let id = context.parameters.get("id") ?? ""
            try mutate(idpId) { dir throws(SCIMWireError) in try dir.deleteGroup(id: id) }
            return Response(status: .noContent)
        }
    }

    // MARK: Helpers

    private func idpId(_ context: EmulatorContext) throws(SCIMWireError) -> String {
        guard let id = context.parameters.get("idpId") else { throw .notFound("Unknown IdP") }
        return id
    }

    private func directory(_ idpId: String) -> ZPASCIMDirectory { core.snapshot.zpa.directories[idpId] ?? .init() }

    private func mutate<T: Sendable>(_ idpId: String, _ body: (inout ZPASCIMDirectory) throws(SCIMWireError) -> T) throws(SCIMWireError)
        -> T
    {
        try core.mutate { (state: inout EmulatorState) throws(SCIMWireError) -> T in
            var directory = state.zpa.directories[idpId] ?? .init()
            let result = try body(&directory)
            state.zpa.directories[idpId] = directory
            return result
        }
    }

    private func document(_ request: Request) async throws(SCIMWireError) -> EmulatorJSON {
        guard request.hasJSONContentType else {
            throw SCIMWireError(status: 415, scimType: nil, detail: "Content-Type must be application/scim+json or application/json")
        }
        let data = try await request.bodyData(
            limit: core.configuration.maxBodyBytes, tooLarge: SCIMWireError(status: 413, scimType: nil, detail: "Request body is too large")
        )
        guard let document = EmulatorJSON.parse(data) else { throw .invalidSyntax("The request body is not valid JSON") }
        return document
    }

    /// One page: `startIndex` 1-based (below 1 counts as 1), `count` default 10, max 100.
    private func list<T>(_ items: [T], _ query: QueryParameters, render: (T) -> EmulatorJSON) throws(SCIMWireError) -> Response {
        let startIndex = max(1, try query.int("startIndex", invalid: SCIMWireError.invalidValue) ?? 1)
        var count = max(0, try query.int("count", invalid: SCIMWireError.invalidValue) ?? behaviour.scimDefaultCount)
        if count > behaviour.scimMaxCount {
            if behaviour.scimRejectOversizedCount { throw .tooMany("count must not exceed \(behaviour.scimMaxCount)") }
            count = behaviour.scimMaxCount
        }
        let start = min(items.count, startIndex - 1)
        let page = items[start..<min(items.count, start + count)].map(render)
        return SCIMWire.list(page.map { excluding($0, query) }, total: items.count, startIndex: startIndex).response
    }

    private func render(_ group: ZPASCIMGroup, _ idpId: String, _ request: Request, members: Bool) -> EmulatorJSON {
        let base = base(request, idpId)
        return directory(idpId).render(
            group, location: "\(base)/Groups/\(group.id)", userLocation: { "\(base)/Users/\($0)" }, includeMembers: members)
    }

    /// Drops the top-level attributes named in `excludeAttributes` (never `id` or `schemas`).
    private func excluding(_ document: EmulatorJSON, _ request: Request) throws(SCIMWireError) -> EmulatorJSON {
        excluding(document, try parameters(of: request))
    }

    /// The form-decoded query; a malformed one is 400 `invalidValue`.
    private func parameters(of request: Request) throws(SCIMWireError) -> QueryParameters {
        try request.queryParameters(invalid: SCIMWireError.invalidValue)
    }

    private func excluding(_ document: EmulatorJSON, _ query: QueryParameters) -> EmulatorJSON {
        guard let excluded = query.first("excludeAttributes"), case .object(var members) = document else { return document }
        for name in excluded.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces).lowercased() })
        where name != "id" && name != "schemas" {
            for key in members.keys where key.lowercased() == name { members[key] = nil }
        }
        return .object(members)
    }

    private func base(_ request: Request, _ idpId: String) -> String {
        "\(core.configuration.publicScheme.rawValue)://\(request.head.authority ?? "127.0.0.1")/scim/1/\(idpId)/v2"
    }

    private func respond(_ status: Int, _ document: EmulatorJSON) -> Response { SCIMWire.document(status, document).response }
}
