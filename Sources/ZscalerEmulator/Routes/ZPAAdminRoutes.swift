import Foundation
import Hummingbird

/// ZPA's admin API (reference §8): `/signin`, the IdP controller, and the read-only SCIM group and
/// attribute APIs. Served at the root with `/signin` tokens and under `/zpa` with OneAPI tokens.
struct ZPAAdminRoutes {
    let core: EmulatorCore
    let family: APIFamily

    private var behaviour: ZPABehaviour { core.configuration.zpa }

    func register(on group: RouterGroup<EmulatorContext>) {
        if family == .zpaAdmin {
            group.post("signin") { request, _ in try await signin(request) }
            group.post("signout") { request, _ in
                if let token = request.bearerToken { core.zpaTokens.revoke(token) }
                return Response(status: .ok)
            }
        }
        for version in ["v1", "v2"] {
            group.get("mgmtconfig/\(version)/admin/customers/{customerId}/idp") { request, context in
                let state = try customer(context)
                let query = try parameters(of: request)
                let search = searchTerm(query)
                let idps = state.zpa.idps.filter { idp in search.map { idp.name.range(of: $0, options: .caseInsensitive) != nil } ?? true }
                let base = baseURL(request)
                return try page(idps.map { ZPAWire.idp($0, base: base) }, query, envelope: ZPAWire.mgmtPage)
            }
        }
        group.get("mgmtconfig/v1/admin/customers/{customerId}/idp/{idpId}") { request, context in
            let idp = try idp(context, in: try customer(context))
            return json(ZPAWire.idp(idp, base: baseURL(request)))
        }
        group.get("mgmtconfig/v1/admin/customers/{customerId}/idp/{idpId}/scimattribute") { request, context in
            let idp = try idp(context, in: try customer(context))
            let items = ZPASCIMAttributeDefinition.all.enumerated().map { index, definition in
                ZPAWire.scimAttribute(definition, id: ZPASCIMAttributeDefinition.id(idp: idp.id, index: index), idp: idp)
            }
            return try page(items, try parameters(of: request), envelope: ZPAWire.mgmtPage)
        }
        group.get("mgmtconfig/v1/admin/customers/{customerId}/idp/{idpId}/scimattribute/{attributeId}") { _, context in
            let idp = try idp(context, in: try customer(context))
            let (definition, id) = try attribute(context, idp: idp)
            return json(ZPAWire.scimAttribute(definition, id: id, idp: idp))
        }
        group.get("userconfig/v1/customers/{customerId}/scimgroup/idpId/{idpId}") { request, context in
            let state = try customer(context)
            let idp = try idp(context, in: state)
            return try scimGroups(state.zpa.directories[idp.id] ?? .init(), idp: idp, try parameters(of: request))
        }
        group.get("userconfig/v1/customers/{customerId}/scimgroup/{scimGroupId}") { _, context in
            let state = try customer(context)
            let wanted = Int(context.parameters.get("scimGroupId") ?? "")
            for (idpId, directory) in state.zpa.directories {
                if let group = directory.groups.values.first(where: { $0.adminId == wanted }) {
                    return json(ZPAWire.scimGroup(group, idpId: idpId))
                }
            }
            throw ZPAError.notFound("Resource not found", params: [context.parameters.get("scimGroupId") ?? ""])
        }
        group.get("userconfig/v1/customers/{customerId}/scimattribute/idpId/{idpId}/attributeId/{attributeId}") { request, context in
            let state = try customer(context)
            let idp = try idp(context, in: state)
            let (definition, _) = try attribute(context, idp: idp)
            let users = state.zpa.directories[idp.id]?.users.values.sorted { $0.id < $1.id } ?? []
            var seen = Set<String>()
            let values = users.flatMap { definition.values(in: $0) }.filter { seen.insert($0).inserted }
            return try page(values.map(EmulatorJSON.string), try parameters(of: request), envelope: ZPAWire.userconfigPage)
        }
    }

    /// `/signin` (§8.1): form `client_id` / `client_secret`; `expires_in` is a string.
    private func signin(_ request: Request) async throws -> Response {
        guard request.contentType?.hasPrefix("application/x-www-form-urlencoded") == true,
            let form = await request.formFields(limit: core.configuration.maxBodyBytes)
        else { throw ZPAError.invalid("Expected a form-encoded body with client_id and client_secret") }
        let state = core.snapshot
        let idMatches = Secrets.constantTimeEquals(form["client_id"] ?? "", state.zpaClientId)
        let secretMatches = Secrets.constantTimeEquals(form["client_secret"] ?? "", state.zpaClientSecret)
        guard idMatches, secretMatches else { throw ZPAError.accessDenied("Invalid client credentials") }
        let lifetime = TokenLifetime(
            zscalerSeconds: core.configuration.sessions.zpaTokenLifetimeSeconds, timeScale: core.configuration.timeScale)
        let token = Secrets.base64URL(Data(Secrets.randomBytes(48)))
        core.zpaTokens.store(token, subject: state.zpaClientId, expires: .now + lifetime.real, now: .now)
        core.counters.update { $0.tokensIssued += 1 }
        return WireResponse.orderedJSON(
            200,
            [
                ("token_type", .string("Bearer")), ("access_token", .string(token)),
                ("expires_in", .string(String(lifetime.reportedSeconds))),
            ]
        ).response
    }

    private func scimGroups(_ directory: ZPASCIMDirectory, idp: ZPAIdP, _ query: QueryParameters) throws -> Response {
        var groups = Array(directory.groups.values)
        if let search = searchTerm(query) { groups = groups.filter { $0.displayName.range(of: search, options: .caseInsensitive) != nil } }
        let descending: Bool
        switch query.first("sortOrder")?.uppercased() {
        case nil, "DSC", "DESC": descending = true
        case "ASC": descending = false
        case let other?: throw ZPAError.invalid("sortOrder must be ASC or DSC, got \(other)")
        }
        let ascending: (ZPASCIMGroup, ZPASCIMGroup) -> Bool
        switch query.first("sortBy") {
        case nil, "modifiedTime": ascending = { ($0.lastModified, $0.adminId) < ($1.lastModified, $1.adminId) }
        case "creationTime": ascending = { ($0.created, $0.adminId) < ($1.created, $1.adminId) }
        case "name": ascending = { ($0.displayName.lowercased(), $0.adminId) < ($1.displayName.lowercased(), $1.adminId) }
        case "id": ascending = { $0.adminId < $1.adminId }
        case let other?: throw ZPAError.invalid("sortBy must be id, name, creationTime or modifiedTime, got \(other)")
        }
        groups.sort(by: ascending)
        if descending { groups.reverse() }
        return try page(groups.map { ZPAWire.scimGroup($0, idpId: idp.id) }, query, envelope: ZPAWire.userconfigPage)
    }

    // MARK: Helpers

    /// The state, after checking the path's customer id is this tenant's.
    private func customer(_ context: EmulatorContext) throws(ZPAError) -> EmulatorState {
        let state = core.snapshot
        guard context.parameters.get("customerId") == state.zpa.customerId else {
            throw .accessDenied("Not authorized for customer \(context.parameters.get("customerId") ?? "")")
        }
        return state
    }

    private func idp(_ context: EmulatorContext, in state: EmulatorState) throws(ZPAError) -> ZPAIdP {
        guard let id = context.parameters.get("idpId"), let idp = state.zpa.idp(id) else {
            throw .notFound("Resource not found", params: [context.parameters.get("idpId") ?? ""])
        }
        return idp
    }

    private func attribute(_ context: EmulatorContext, idp: ZPAIdP) throws(ZPAError) -> (ZPASCIMAttributeDefinition, String) {
        let wanted = context.parameters.get("attributeId") ?? ""
        for (index, definition) in ZPASCIMAttributeDefinition.all.enumerated() {
            let id = ZPASCIMAttributeDefinition.id(idp: idp.id, index: index)
            if id == wanted { return (definition, id) }
        }
        throw .notFound("Resource not found", params: [wanted])
    }

    /// The form-decoded query; a malformed one is 400 `invalid.input`.
    private func parameters(of request: Request) throws(ZPAError) -> QueryParameters {
        try request.queryParameters(invalid: ZPAError.invalid)
    }

    /// `search` as sent, or the v1 style `name LIKE foo` / `name EQ foo`.
    private func searchTerm(_ query: QueryParameters) -> String? {
        guard let search = query.first("search"), !search.isEmpty else { return nil }
        let parts = search.split(separator: " ", maxSplits: 2)
        if parts.count == 3, parts[0].lowercased() == "name", ["like", "eq"].contains(parts[1].lowercased()) { return String(parts[2]) }
        return search
    }

    /// `page` (1-based) and `pagesize` (default 20, max 500: more is refused).
    private func page(_ items: [EmulatorJSON], _ query: QueryParameters, envelope: ([EmulatorJSON], Int, Int) -> EmulatorJSON)
        throws(ZPAError)
        -> Response
    {
        let page = try query.int("page", invalid: ZPAError.invalid) ?? 1
        let size = try query.int("pagesize", invalid: ZPAError.invalid) ?? behaviour.adminDefaultPageSize
        guard page >= 1 else { throw .invalid("page must be 1 or more") }
        guard (1...behaviour.adminMaxPageSize).contains(size) else { throw .invalid("pagesize must be 1...\(behaviour.adminMaxPageSize)") }
        let start = (page - 1).multipliedReportingOverflow(by: size)
        let slice =
            !start.overflow && start.partialValue < items.count
            ? Array(items[start.partialValue..<min(items.count, start.partialValue + size)]) : []
        return json(envelope(slice, items.count, size))
    }

    private func json(_ value: EmulatorJSON) -> Response { WireResponse.json(200, value).response }

    private func baseURL(_ request: Request) -> String {
        "\(core.configuration.publicScheme.rawValue)://\(request.head.authority ?? "127.0.0.1")"
    }
}
