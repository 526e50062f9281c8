import AsyncHTTPClient
import Logging
import SCIMBridge
import ZscalerAPI

/// What `tenant connect` learnt by logging in once.
public struct ConnectionReport: Sendable, Hashable {
    /// The ZIA API base it reached.
    public var baseURL: String
    /// The token endpoint that issued a token (OneAPI only).
    public var tokenURL: String?
    /// ZIA's activation status (`ACTIVE`, `PENDING`, …): proof that an authenticated read works.
    public var activationStatus: String
    /// Things worth fixing that do not stop the connection (a policy naming a ZIA group or
    /// department that does not exist).
    public var warnings: [String]
}

extension ZscalerConnection {
    /// Logs in once and reads one cheap thing (`GET /status`); with a policy, also looks up its
    /// default department and quarantine group, which only warn when missing. Not patient with a
    /// dead network, since an operator is waiting: no transport retry (AsyncHTTPClient already
    /// retries a refused connection until the request's deadline), one retry of a 5xx.
    ///
    /// A legacy session is left to expire rather than ended: ending it activates the admin's
    /// pending changes, which an operator checking credentials would not expect.
    public func check(
        httpClient: HTTPClient = ZscalerHTTPClient.shared, logger: Logger, policy: TenantPolicy? = nil,
        requestTimeout: Duration = .seconds(15)
    ) async throws(ConnectionError) -> ConnectionReport {
        try validate()
        let client: ZIAClient
        do {
            let retry = RetryPolicy(throttledRetries: 2, editLockRetries: 1, serverErrorRetries: 1, transportRetries: 0)
            let configuration = try clientConfiguration(retry: retry, requestTimeout: requestTimeout)
            client = try ZIAClient(configuration: configuration, httpClient: httpClient, logger: logger)
        } catch {
            throw ConnectionError(.invalidSettings, error.message)
        }
        let status: ZIAActivationStatus
        do {
            try await client.authenticate()
            status = try await client.activationStatus()
        } catch {
            throw classify(error)
        }
        var warnings: [String] = []
        if let policy { warnings = await lookUp(policy, with: client) }
        return ConnectionReport(
            baseURL: client.configuration.baseURL.string, tokenURL: isOneAPI ? (try? resolvedTokenURL().string) : nil,
            activationStatus: status.status.rawValue, warnings: warnings)
    }

    private func lookUp(_ policy: TenantPolicy, with client: ZIAClient) async -> [String] {
        var warnings: [String] = []
        let creates = policy.createMissing && isOneAPI
        if let name = policy.defaultDepartment {
            do {
                if try await client.department(named: name) == nil {
                    warnings.append(
                        "the default department \"\(name)\" does not exist in ZIA"
                            + (creates ? "; it will be created on first use" : "; create it in the ZIA admin portal"))
                }
            } catch {
                warnings.append("could not look up the default department \"\(name)\": \(error.message)")
            }
        }
        if let name = policy.quarantineGroup {
            do {
                if try await client.group(named: name) == nil {
                    warnings.append(
                        "the quarantine group \"\(name)\" does not exist in ZIA"
                            + (creates ? "; it will be created on first use" : "; create it in the ZIA admin portal"))
                }
            } catch {
                warnings.append("could not look up the quarantine group \"\(name)\": \(error.message)")
            }
        }
        return warnings
    }

    /// Turns the client's failure into what the operator should fix: the credentials, the URL or
    /// network, or something on Zscaler's side. Decided by the error's kind and status only.
    func classify(_ error: ZscalerAPIError) -> ConnectionError {
        let detail = error.description
        let credentials =
            isOneAPI
            ? "check the client id and client secret, and that the token URL / vanity domain is the tenant's"
            : "check the admin username, the password and the API key (ZIA admin portal: Administration > Cloud Service API Security)"
        switch error.kind {
        case .authenticationFailed, .sessionExpired:
            return ConnectionError(.authenticationFailed, "Zscaler refused the credentials (\(detail)): \(credentials)")
        case .http where error.status == 401:
            return ConnectionError(.authenticationFailed, "Zscaler refused the credentials (\(detail)): \(credentials)")
        case .http where error.status == 403:
            return ConnectionError(
                .zscalerRefused, "logged in, but the admin may not use the API (\(detail)): give it an API role with user management")
        case .transport, .serverError, .redirectRefused, .decoding, .responseTooLarge, .notFound:
            return ConnectionError(
                .unreachable,
                "nothing usable answered at \(baseURL) (\(detail)): check the cloud or base URL (it ends in /api/v1), and that this "
                    + "host can reach it")
        case .invalidConfiguration, .invalidArgument:
            return ConnectionError(.invalidSettings, error.message)
        case .rateLimited, .hourlyBudgetExhausted:
            return ConnectionError(.zscalerRefused, "Zscaler is rate-limiting this tenant (\(detail)); try again in a few minutes")
        default:
            return ConnectionError(.zscalerRefused, "Zscaler refused the check (\(detail))")
        }
    }
}
