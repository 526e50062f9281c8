import Foundation
import HTTPTypes
import Hummingbird

/// What every Zscaler-facing request goes through, in the order a real edge would apply it:
/// counting, injected latency and faults, authentication, rate limits (with violation counting),
/// maintenance mode and content-type checks for writes, the handler, then the family's headers.
/// Errors thrown by handlers are rendered here, so the counters see their real status.
struct ZscalerEdgeMiddleware: RouterMiddleware {
    typealias Context = EmulatorContext

    let core: EmulatorCore
    let family: APIFamily

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let template = context.endpointPath ?? request.uri.path
        let route = "\(request.method) \(template)"
        core.counters.recordCall(route)
        var gateway: (limit: EmulatedRateWindow, used: Int, reset: Duration)?
        var response: Response
        do {
            let path = request.uri.path
            if core.faults.applies(to: path) {
                let latency = core.faults.latency()
                if latency > .zero { try await Task.sleep(for: latency) }
                if let fault = core.faults.responseFault(now: .now) { throw faultError(fault, template: template) }
            }
            let principal = try authenticate(request, context: context, template: template)
            gateway = try checkLimits(request, context: context, template: template, route: route, principal: principal)
            try checkWrite(request, template: template)
            response = try await next(request, context)
        } catch let error as any WireError {
            response = error.wireResponse.response
        }
        decorate(&response, gateway: gateway)
        core.counters.recordStatus(route, Int(response.status.code))
        return response
    }

    // MARK: Faults

    private func faultError(_ fault: FaultInjector.Fault, template: String) -> any WireError {
        switch fault {
        case .tooManyRequests:
            core.counters.update { $0.stormResponses += 1 }
            let retryAfter = retryAfterText(.seconds(core.configuration.rateLimits.stormRetryAfterSeconds), timeScale: 1)
            switch family {
            case .zpaAdmin, .zpaOneAPI: return ZPAError.tooMany(retryAfter: retryAfter)
            case .zpaSCIM:
                return SCIMStatusError(status: 429, detail: "Too many requests", retryAfter: retryAfter)
            default:
                let window = windows(method: "GET", template: template).first ?? .perSecond(1)
                return ZIARateLimited(window: window.description, retryAfter: retryAfter)
            }
        case .serverError:
            core.counters.update { $0.injectedServerErrors += 1 }
            switch family {
            case .zpaAdmin, .zpaOneAPI: return ZPAError.serverError
            case .zpaSCIM: return SCIMStatusError(status: 500, detail: "Internal server error", retryAfter: nil)
            default: return ZIAError.unexpected
            }
        case .resourceAccessBlocked:
            core.counters.update { $0.resourceAccessBlocked += 1 }
            return ZIAError.resourceAccessBlocked
        case .drop:
            return ZIAError.unexpected  // drops happen at the socket; never reached
        }
    }

    // MARK: Authentication

    /// Checks the caller's credential; returns the OneAPI client id for the gateway limit.
    private func authenticate(_ request: Request, context: Context, template: String) throws -> String? {
        let now = ContinuousClock.now
        switch family {
        case .ziaLegacy:
            if template.hasSuffix("/authenticatedSession") { return nil }
            let policy = core.configuration.sessions
            switch core.sessions.check(
                request.cookie("JSESSIONID"), now: now, idle: core.scaled(policy.idleTimeoutSeconds),
                absolute: policy.absoluteTimeoutSeconds.map(core.scaled))
            {
            case .valid: return nil
            case .expired:
                core.counters.update { $0.sessionsExpired += 1 }
                if policy.activateOnSessionExpiry { activate() }
                throw ZIAError.sessionNotValid
            case .unknown: throw ZIAError.sessionNotValid
            }
        case .ziaOneAPI, .zpaOneAPI:
            guard let client = core.oneAPITokens.subject(of: request.bearerToken, now: now) else { throw OneAPIUnauthorized() }
            return client
        case .zpaAdmin:
            if template == "/signin" { return nil }
            guard core.zpaTokens.subject(of: request.bearerToken, now: now) != nil else {
                throw ZPAError.accessDenied("Invalid or expired access token")
            }
            return nil
        case .zpaSCIM:
            let idpId = context.parameters.get("idpId") ?? ""
            let idp = core.snapshot.zpa.idp(idpId)
            guard let idp, idp.scimEnabled, let token = idp.scimToken, let sent = request.bearerToken,
                Secrets.constantTimeEquals(sent, token)
            else { throw SCIMWireError.unauthorized }
            return nil
        case .oneAPIToken:
            return nil
        }
    }

    private func activate() {
        core.mutate { $0.zia.activate() }
        core.counters.update { $0.activations += 1 }
    }

    // MARK: Limits

    private func windows(method: String, template: String) -> [EmulatedRateWindow] {
        let policy = core.configuration.rateLimits
        switch family {
        case .ziaLegacy, .ziaOneAPI:
            return policy.ziaWindows(method: method, template: String(template.dropFirst(family.prefix.count)))
        case .zpaAdmin, .zpaOneAPI:
            return method == "GET" || method == "HEAD" ? policy.zpaRead : policy.zpaWrite
        case .zpaSCIM:
            return policy.zpaSCIM
        case .oneAPIToken:
            return []
        }
    }

    private func limitKey(method: String, template: String, context: Context) -> String {
        switch family {
        case .ziaLegacy, .ziaOneAPI: "zia:\(method) \(template.dropFirst(family.prefix.count))"
        case .zpaAdmin, .zpaOneAPI: method == "GET" || method == "HEAD" ? "zpa:read" : "zpa:write"
        case .zpaSCIM: "zpascim:\(context.parameters.get("idpId") ?? "")"
        case .oneAPIToken: "token"
        }
    }

    /// Applies the endpoint's limits and, on OneAPI, the gateway's; returns the gateway usage for
    /// the `x-ratelimit-*` headers.
    private func checkLimits(
        _ request: Request, context: Context, template: String, route: String, principal: String?
    ) throws -> (limit: EmulatedRateWindow, used: Int, reset: Duration)? {
        let policy = core.configuration.rateLimits
        let method = request.method.rawValue
        let now = ContinuousClock.now
        var checks: [(key: String, windows: [EmulatedRateWindow])] = [
            (limitKey(method: method, template: template, context: context), windows(method: method, template: template))
        ]
        if family.isOneAPI, let gatewayWindow = policy.oneAPIGateway, let principal {
            checks.insert(("oneapi:\(principal)", [gatewayWindow]), at: 0)
        }
        for check in checks where !check.windows.isEmpty {
            let decision = core.limiter.check(
                key: check.key, windows: check.windows, now: now, enforce: policy.enforce,
                refusedCallsConsumeQuota: policy.refusedCallsConsumeQuota)
            guard let violated = decision.violated else { continue }
            core.counters.recordViolation(route)
            if !decision.admitted {
                let retryAfter = retryAfterText(decision.retryAfter, timeScale: core.configuration.timeScale)
                switch family {
                case .zpaAdmin, .zpaOneAPI: throw ZPAError.tooMany(retryAfter: retryAfter)
                case .zpaSCIM: throw SCIMStatusError(status: 429, detail: "Too many requests", retryAfter: retryAfter)
                default: throw ZIARateLimited(window: violated.description, retryAfter: retryAfter)
                }
            }
        }
        guard family.isOneAPI, let gatewayWindow = policy.oneAPIGateway, let principal else { return nil }
        let usage = core.limiter.usage(key: "oneapi:\(principal)", window: gatewayWindow, now: now)
        return (gatewayWindow, usage.used, usage.reset)
    }

    // MARK: Writes

    /// Maintenance mode (403 `STATE_READONLY`) and the JSON content type (415) for ZIA writes.
    private func checkWrite(_ request: Request, template: String) throws {
        guard family.isZIA, request.method == .post || request.method == .put || request.method == .delete else { return }
        let relative = template.dropFirst(family.prefix.count)
        let isSession = relative == "/authenticatedSession"
        if core.faults.readOnly, !isSession { throw ZIAError.readOnly }
        if request.method != .delete, relative != "/status/activate", !request.hasJSONContentType {
            throw ZIAError.unsupportedMediaType
        }
    }

    // MARK: Headers

    private func decorate(_ response: inout Response, gateway: (limit: EmulatedRateWindow, used: Int, reset: Duration)?) {
        guard family.isZIA || family.isOneAPI else { return }
        if family.isZIA {
            if response.headers[values: .contentDisposition].isEmpty {
                response.headers[.contentDisposition] = "attachment; filename=\"api.json\""
            }
            let mode = HTTPField.Name("x-zscaler-mode")!
            if response.headers[mode] == nil { response.headers[mode] = "read-write" }
        }
        if family.isOneAPI {
            response.headers[HTTPField.Name("x-oneapi-request-id")!] = UUID().uuidString.lowercased()
            response.headers[HTTPField.Name("x-transaction-id")!] = UUID().uuidString.lowercased()
            response.headers[HTTPField.Name("x-oneapi-version")!] = "emulator"
            if let gateway {
                let seconds = Int(gateway.limit.seconds)
                response.headers[HTTPField.Name("x-ratelimit-limit")!] = "\(gateway.limit.limit), \(gateway.limit.limit);w=\(seconds)"
                response.headers[HTTPField.Name("x-ratelimit-remaining")!] = String(max(0, gateway.limit.limit - gateway.used))
                response.headers[HTTPField.Name("x-ratelimit-reset")!] = retryAfterText(
                    gateway.reset, timeScale: core.configuration.timeScale)
            }
        }
    }
}

/// A SCIM error with an arbitrary status (429 with `Retry-After`, 500) for the SCIM server's
/// throttling and faults.
struct SCIMStatusError: WireError {
    var status: Int
    var detail: String
    var retryAfter: String?

    var wireResponse: WireResponse {
        var response = SCIMWireError(status: status, scimType: nil, detail: detail).wireResponse
        if let retryAfter { response.headers.append(("Retry-After", retryAfter)) }
        return response
    }
}
