import Foundation
import Hummingbird

/// Users, groups, departments and activation (reference §3, §4, §6), served identically on the
/// legacy and OneAPI bases except that group and department writes exist only on OneAPI.
struct ZIADirectoryRoutes {
    let core: EmulatorCore
    let family: APIFamily

    private var behaviour: ZIABehaviour { core.configuration.zia }

    func register(on group: RouterGroup<EmulatorContext>) {
        group.get("users") { request, _ in
            let query = try parameters(of: request)
            return try json(core.read { try $0.zia.working.listUsers(query, behaviour: behaviour) }.map(output))
        }
        group.get("users/references") { request, _ in
            let query = try parameters(of: request)
            return try json(core.read { try $0.zia.working.listUserReferences(query, behaviour: behaviour) })
        }
        group.get("users/auditors") { _, _ in json(core.snapshot.zia.working.auditors().map(output)) }
        group.get("users/{userId}") { _, context in
            let id = try pathId(context, "userId", kind: "User")
            guard let user = core.snapshot.zia.working.users[id] else { throw notFound("User", id) }
            return json(output(user))
        }
        group.post("users") { request, _ in
            let input = try await body(ZIAWire.UserInput.self, request)
            return json(output(try await core.ziaWrite { try $0.zia.createUser(input, rules: rules($0)) }))
        }
        group.put("users/{userId}") { request, context in
            let id = try pathId(context, "userId", kind: "User")
            let input = try await body(ZIAWire.UserInput.self, request)
            return json(output(try await core.ziaWrite { try $0.zia.replaceUser(id: id, input, rules: rules($0)) }))
        }
        group.delete("users/{userId}") { _, context in
            let id = try pathId(context, "userId", kind: "User")
            try await core.ziaWrite { try $0.zia.deleteUser(id: id, behaviour: behaviour) }
            return Response(status: .init(code: behaviour.deleteUserStatus))
        }
        group.post("users/bulkDelete") { request, _ in
            let input = try await body(ZIAWire.BulkDelete.self, request)
            return json(ZIAWire.BulkDelete(ids: try await core.ziaWrite { try $0.zia.bulkDelete(ids: input.ids, behaviour: behaviour) }))
        }
        registerGroups(on: group)
        registerDepartments(on: group)
        group.get("status") { _, _ in json(ZIAWire.ActivationStatus(status: core.snapshot.zia.status)) }
        group.post("status/activate") { _, _ in
            try await core.ziaWrite { $0.zia.activate() }
            core.counters.update { $0.activations += 1 }
            return json(ZIAWire.ActivationStatus(status: "ACTIVE"))
        }
    }

    private func registerGroups(on group: RouterGroup<EmulatorContext>) {
        for lite in [false, true] {
            group.get(lite ? "groups/lite" : "groups") { request, _ in
                let query = try parameters(of: request)
                return try json(
                    core.read { try $0.zia.working.listGroups(query, behaviour: behaviour) }.map { ZIAWire.GroupOutput($0, lite: lite) })
            }
        }
        for lite in [false, true] {
            group.get(lite ? "groups/lite/{groupId}" : "groups/{groupId}") { _, context in
                let id = try pathId(context, "groupId", kind: "Group")
                guard let found = core.snapshot.zia.working.groups[id] else { throw notFound("Group", id) }
                return json(ZIAWire.GroupOutput(found, lite: lite))
            }
        }
        group.post("groups") { request, _ in
            try oneAPIOnly()
            let input = try await body(ZIAWire.NamedInput.self, request)
            return json(ZIAWire.GroupOutput(try await core.ziaWrite { try $0.zia.createGroup(input, behaviour: behaviour) }))
        }
        group.put("groups/{groupId}") { request, context in
            try oneAPIOnly()
            let id = try pathId(context, "groupId", kind: "Group")
            let input = try await body(ZIAWire.NamedInput.self, request)
            return json(ZIAWire.GroupOutput(try await core.ziaWrite { try $0.zia.updateGroup(id: id, input, behaviour: behaviour) }))
        }
        group.delete("groups/{groupId}") { _, context in
            try oneAPIOnly()
            let id = try pathId(context, "groupId", kind: "Group")
            try await core.ziaWrite { try $0.zia.deleteGroup(id: id, behaviour: behaviour) }
            return Response(status: .noContent)
        }
    }

    private func registerDepartments(on group: RouterGroup<EmulatorContext>) {
        for lite in [false, true] {
            group.get(lite ? "departments/lite" : "departments") { request, _ in
                let query = try parameters(of: request)
                return try json(
                    core.read { try $0.zia.working.listDepartments(query, behaviour: behaviour, lite: lite) }
                        .map { ZIAWire.DepartmentOutput($0, lite: lite) })
            }
            group.get(lite ? "departments/lite/{departmentId}" : "departments/{departmentId}") { _, context in
                let id = try pathId(context, "departmentId", kind: "Department")
                guard let found = core.snapshot.zia.working.departments[id] else { throw notFound("Department", id) }
                return json(ZIAWire.DepartmentOutput(found, lite: lite))
            }
        }
        group.post("departments") { request, _ in
            try oneAPIOnly()
            let input = try await body(ZIAWire.NamedInput.self, request)
            return json(ZIAWire.DepartmentOutput(try await core.ziaWrite { try $0.zia.createDepartment(input, behaviour: behaviour) }))
        }
        group.put("departments/{departmentId}") { request, context in
            try oneAPIOnly()
            let id = try pathId(context, "departmentId", kind: "Department")
            let input = try await body(ZIAWire.NamedInput.self, request)
            return json(
                ZIAWire.DepartmentOutput(try await core.ziaWrite { try $0.zia.updateDepartment(id: id, input, behaviour: behaviour) }))
        }
        group.delete("departments/{departmentId}") { _, context in
            try oneAPIOnly()
            let id = try pathId(context, "departmentId", kind: "Department")
            try await core.ziaWrite { try $0.zia.deleteDepartment(id: id, behaviour: behaviour) }
            return Response(status: .noContent)
        }
    }

    // MARK: Helpers

    private func rules(_ state: EmulatorState) -> ZIAState.UserRules {
        ZIAState.UserRules(behaviour: behaviour, domains: state.organization.domains)
    }

    private func output(_ user: ZIAUser) -> ZIAWire.UserOutput { ZIAWire.UserOutput(user, in: core.snapshot.zia.working) }

    private func json(_ value: some Encodable) -> Response { WireResponse.json(200, value).response }

    private func body<T: Decodable>(_ type: T.Type, _ request: Request) async throws(ZIAError) -> T {
        let data = try await request.bodyData(limit: core.configuration.maxBodyBytes, tooLarge: ZIAError.payloadTooLarge)
        return try decodeJSON(T.self, from: data, invalid: ZIAError.invalidBody)
    }

    /// The form-decoded query; a malformed one is 400 `INVALID_INPUT_ARGUMENT`.
    private func parameters(of request: Request) throws(ZIAError) -> QueryParameters {
        try request.queryParameters(invalid: ZIAError.invalidInput)
    }

    private func pathId(_ context: EmulatorContext, _ name: String, kind: String) throws(ZIAError) -> Int {
        guard let text = context.parameters.get(name), let id = Int(text) else {
            throw .notFound("\(kind) not found", empty: behaviour.emptyNotFoundBodies)
        }
        return id
    }

    private func notFound(_ kind: String, _ id: Int) -> ZIAError {
        .notFound("\(kind) \(id) not found", empty: behaviour.emptyNotFoundBodies)
    }

    /// Group and department writes are "accessible via Zscaler OneAPI only" (§4.1).
    private func oneAPIOnly() throws(ZIAError) {
        if family == .ziaLegacy { throw .oneAPIOnly(status: behaviour.oneAPIOnlyStatus) }
    }
}
