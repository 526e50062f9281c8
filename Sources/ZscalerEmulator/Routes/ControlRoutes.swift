import Foundation
import Hummingbird

/// Test-only routes under `/__emulator` (enabled by configuration): a view of activated versus
/// pending state, counters, fault control and reset. Never counted, limited or faulted, and never
/// present unless asked for, so nothing answers there that a real Zscaler would not.
struct ControlRoutes {
    static let prefix = "/__emulator"

    let core: EmulatorCore

    func register(on router: Router<EmulatorContext>) {
        let group = router.group(RouterPath(Self.prefix))
        group.get("state") { request, _ in
            let full = try request.queryParameters(invalid: ControlError.init).first("full") == "true"
            return json(StateView(core.snapshot, sessions: core.sessions.count, full: full))
        }
        group.get("counters") { _, _ in json(core.counters.snapshot) }
        group.post("reset") { request, _ in
            core.counters.reset()
            core.limiter.reset()
            core.faults.reset(to: core.configuration.faults)
            if try request.queryParameters(invalid: ControlError.init).first("state") == "true" {
                core.replaceState(EmulatorState(seed: core.seed))
                core.sessions.removeAll()
                core.oneAPITokens.revokeAll()
                core.zpaTokens.revokeAll()
            }
            return Response(status: .noContent)
        }
        group.get("faults") { _, _ in json(core.faults.settings) }
        group.put("faults") { request, _ in
            let data = try await request.bodyData(limit: 64 * 1024, tooLarge: ControlError("body too large"))
            do throws(EmulatorConfigurationError) {
                let settings = try FaultSettings.decode(patch: data, over: FaultSettings())
                try settings.validate()
                core.faults.replace(settings)
                return json(settings)
            } catch {
                throw ControlError(error.description)
            }
        }
        group.post("faults/expire-sessions") { _, _ in
            core.expireAllSessions()
            return Response(status: .noContent)
        }
        group.post("faults/hold-edit-lock") { request, _ in
            core.editLock.hold(for: try await seconds(request))
            return Response(status: .noContent)
        }
        group.post("faults/storm") { request, _ in
            core.faults.startStorm(for: try await seconds(request), now: .now)
            return Response(status: .noContent)
        }
        group.get("login-body") { _, _ in
            // A ready `POST /api/v1/authenticatedSession` body for demos with curl.
            let state = core.snapshot
            let timestamp = EmulatorKeyObfuscation.currentTimestamp()
            let admin = state.ziaAdmins[0]
            return json([
                "apiKey": EmulatorKeyObfuscation.obfuscate(apiKey: state.ziaAPIKey, timestamp: timestamp) ?? "",
                "username": admin.username, "password": admin.password, "timestamp": timestamp,
            ])
        }
    }

    /// `{"seconds": N}` (real seconds, 0 < N ≤ 3600).
    private func seconds(_ request: Request) async throws -> Duration {
        struct Body: Decodable { var seconds: Double }
        let data = try await request.bodyData(limit: 4096, tooLarge: ControlError("body too large"))
        let body = try decodeJSON(Body.self, from: data, invalid: ControlError(#"expected {"seconds": number}"#))
        guard body.seconds > 0, body.seconds <= 3600 else { throw ControlError("seconds must be within (0, 3600]") }
        return .milliseconds(Int64(body.seconds * 1000))
    }

    private func json(_ value: some Encodable) -> Response { WireResponse.json(200, value).response }
}

/// A bad request to a control route.
struct ControlError: WireError {
    var message: String
    init(_ message: String) { self.message = message }
    var wireResponse: WireResponse { .orderedJSON(400, [("error", .string(message))]) }
}

/// What `GET /__emulator/state` shows: activation status, what is pending, and (with `full=true`)
/// the working and activated directories themselves.
struct StateView: Encodable {
    struct DirectorySummary: Encodable {
        var revision: Int
        var users: Int
        var groups: Int
        var departments: Int
    }

    struct IdPSummary: Encodable {
        var id: String
        var name: String
        var scimUsers: Int
        var scimGroups: Int
    }

    var organization: SeedFixture.Organization
    var status: String
    var activationCount: Int
    var pendingChanges: [String]
    var working: DirectorySummary
    var activated: DirectorySummary
    var sessions: Int
    var zpa: [IdPSummary]
    var workingDirectory: ZIADirectory?
    var activatedDirectory: ZIADirectory?
    var zpaDirectories: [String: ZPASCIMDirectory]?

    init(_ state: EmulatorState, sessions: Int, full: Bool) {
        func summary(_ directory: ZIADirectory) -> DirectorySummary {
            .init(
                revision: directory.revision, users: directory.users.count, groups: directory.groups.count,
                departments: directory.departments.count)
        }
        organization = state.organization
        status = state.zia.status
        activationCount = state.zia.activationCount
        pendingChanges = state.zia.pendingChanges
        working = summary(state.zia.working)
        activated = summary(state.zia.activated)
        self.sessions = sessions
        zpa = state.zpa.idps.map { idp in
            IdPSummary(
                id: idp.id, name: idp.name, scimUsers: state.zpa.directories[idp.id]?.users.count ?? 0,
                scimGroups: state.zpa.directories[idp.id]?.groups.count ?? 0)
        }
        if full {
            workingDirectory = state.zia.working
            activatedDirectory = state.zia.activated
            zpaDirectories = state.zpa.directories
        }
    }
}

extension ControlError: HTTPResponseError {
    var status: HTTPResponse.Status { .init(code: wireResponse.status) }

    func response(from request: Request, context: some RequestContext) throws -> Response { wireResponse.response }
}
