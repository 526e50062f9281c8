import Foundation
import Logging
import NIOHTTP1

/// How requests of one API authenticate, and how they recover when the credential stops working.
protocol RequestAuthorizer: Sendable {
    /// The header that authenticates the next request (logging in or fetching a token first if needed).
    func authorization() async throws(ZscalerAPIError) -> Authorization
    /// Whether this error response means "the credential is no longer valid": renew it and retry once.
    func isExpired(status: Int, body: ErrorBody) -> Bool
    /// Drops the credential identified by `stamp` and obtains a new one, unless a concurrent caller has
    /// already replaced it.
    func renew(after stamp: UInt64) async throws(ZscalerAPIError)
}

/// One authenticating header and which credential it came from.
struct Authorization: Sendable {
    var headerName: String
    var headerValue: String
    /// Identifies the credential, so that ten requests failing on one expired session renew it once.
    var stamp: UInt64
}

/// Rate limiting, authentication, sending and retrying, in that order, for every call of one API.
///
/// Per attempt: wait for a permit of the call's method class, add the credential, send, hand the permit
/// back, then sort the answer: success; credential expired (renew once, retry); throttled (429 or
/// "Resource Access Blocked": `Retry-After` becomes a floor for the whole class, then backoff); edit lock
/// (backoff); 5xx or broken connection (backoff, but only for idempotent requests: see
/// ``RequestSpec/idempotent``); a redirect (refused, never followed); anything else is the caller's
/// error and returned at once. Every retry kind has its own bound (``RetryPolicy``), and no wait is
/// longer than the policy's ceilings: a server asking for more gets an error carrying `retryAfter`.
struct RequestPipeline: Sendable {
    let baseURL: BaseURL
    let transport: HTTPTransport
    let limiter: any RateLimiting
    let retry: RetryPolicy
    let clock: ClientClock
    let maximumLimiterWait: Duration
    let defaultHeaders: HTTPHeaders
    let logger: Logger

    func perform(_ spec: RequestSpec, authorizer: (any RequestAuthorizer)?) async throws(ZscalerAPIError) -> IncomingResponse {
        let summary = "\(spec.method.rawValue) \(pathForSummary(spec.target))"
        var attempts = 0
        var throttled = 0
        var editLocked = 0
        var serverErrors = 0
        var connectionErrors = 0
        var renewed = false

        while true {
            attempts += 1
            let permit: RateLimitPermit
            do {
                permit = try await limiter.acquire(spec.methodClass, maximumWait: maximumLimiterWait)
            } catch {
                var error = error
                error.request = summary
                error.attempts = attempts
                throw error
            }
            var request = OutgoingRequest(
                method: spec.method, url: url(for: spec), headers: defaultHeaders, body: spec.body, summary: summary)
            if let contentType = spec.contentType { request.headers.replaceOrAdd(name: "Content-Type", value: contentType) }
            var stamp: UInt64 = 0
            if let authorizer {
                do {
                    let authorization = try await authorizer.authorization()
                    request.headers.replaceOrAdd(name: authorization.headerName, value: authorization.headerValue)
                    stamp = authorization.stamp
                } catch {
                    await limiter.finish(permit)
                    throw error
                }
            }
            let result = await transport.send(request)
            await limiter.finish(permit)

            let response: IncomingResponse
            switch result {
            case .failure(.tooLarge(let size)):
                throw ZscalerAPIError(
                    .responseTooLarge, message: "response body exceeds \(size) bytes", request: summary, attempts: attempts)
            case .failure(.unsent(let description)):
                // Nothing reached the server: any request may go again.
                connectionErrors += 1
                guard connectionErrors <= retry.transportRetries, let delay = retry.delay(retry: connectionErrors, retryAfter: nil)
                else { throw ZscalerAPIError(.transport, message: description, request: summary, attempts: attempts) }
                try await pause(delay, summary)
                continue
            case .failure(.connection(let description)):
                connectionErrors += 1
                guard spec.idempotent else {
                    throw ZscalerAPIError(
                        .transport, message: "\(description); not resent, since the server may have acted on it", request: summary,
                        attempts: attempts, mayHaveBeenApplied: true)
                }
                guard connectionErrors <= retry.transportRetries, let delay = retry.delay(retry: connectionErrors, retryAfter: nil)
                else {
                    throw ZscalerAPIError(.transport, message: description, request: summary, attempts: attempts, mayHaveBeenApplied: true)
                }
                try await pause(delay, summary)
                continue
            case .success(let answer):
                response = answer
            }
            if (200..<300).contains(response.status) { return response }

            let body = ErrorBody(response.body)
            let retryAfter = self.retryAfter(response, body)
            func failure(_ kind: ZscalerAPIError.Kind, _ fallback: String, mayHaveBeenApplied: Bool = false) -> ZscalerAPIError {
                ZscalerAPIError(
                    kind, status: response.status, zscalerCode: body.code, message: body.message ?? fallback, request: summary,
                    attempts: attempts, retryAfter: retryAfter, mayHaveBeenApplied: mayHaveBeenApplied)
            }

            switch Self.classify(status: response.status, body: body) {
            case .redirect:
                throw RedirectRefusal.error(
                    status: response.status, location: response.headers.first(name: "location"), request: summary, attempts: attempts)
            case .throttled:
                throttled += 1
                if let retryAfter, retryAfter > retry.maximumRetryAfter {
                    throw failure(.rateLimited, "rate limited for longer than the client waits")
                }
                guard throttled <= retry.throttledRetries, let delay = retry.delay(retry: throttled, retryAfter: nil) else {
                    throw failure(.rateLimited, "rate limited")
                }
                // The floor holds back every call of the class, this one included, for `Retry-After`.
                if let retryAfter { await limiter.imposeFloor(retryAfter, on: spec.methodClass) }
                logger.debug(
                    "zscaler throttled; backing off",
                    metadata: [
                        "request": "\(summary)", "status": "\(response.status)", "retry_after": "\(retryAfter.map { "\($0)" } ?? "-")",
                    ])
                try await pause(delay, summary)
            case .editLock:
                // The write was refused, not applied: safe to send again, whatever the method.
                editLocked += 1
                guard let delay = retry.delay(retry: editLocked, base: retry.editLockBaseDelay, retryAfter: retryAfter) else {
                    throw failure(.editLocked, "the edit lock is held for longer than the client waits")
                }
                guard editLocked <= retry.editLockRetries else { throw failure(.editLocked, "edit lock not available") }
                try await pause(delay, summary)
            case .serverError:
                serverErrors += 1
                guard spec.idempotent else {
                    throw failure(.serverError, "server error; not resent, since the server may have acted on it", mayHaveBeenApplied: true)
                }
                guard let delay = retry.delay(retry: serverErrors, retryAfter: retryAfter) else {
                    throw failure(.serverError, "server unavailable for longer than the client waits", mayHaveBeenApplied: true)
                }
                guard serverErrors <= retry.serverErrorRetries else {
                    throw failure(.serverError, "server error", mayHaveBeenApplied: true)
                }
                try await pause(delay, summary)
            case .notFound:
                throw failure(.notFound, "not found")
            case .clientError:
                if let authorizer, authorizer.isExpired(status: response.status, body: body) {
                    guard !renewed else { throw failure(.sessionExpired, "still unauthorised after renewing the credential") }
                    renewed = true
                    try await authorizer.renew(after: stamp)
                    continue
                }
                throw failure(.http, "HTTP \(response.status)")
            }
        }
    }

    enum Classification: Equatable { case redirect, throttled, editLock, serverError, notFound, clientError }

    /// What an error response means for retrying (reference §5.1–§5.3, §8.4).
    static func classify(status: Int, body: ErrorBody) -> Classification {
        if (300..<400).contains(status) { return .redirect }
        if status == 429 { return .throttled }
        if status == 401, body.message?.lowercased().contains("resource access blocked") == true { return .throttled }
        if status == 409, body.code == .editLockNotAvailable || body.code == .zpaConcurrentAccess { return .editLock }
        if status >= 500 { return .serverError }
        if status == 404 || (status == 400 && body.code == .zpaResourceNotFound) { return .notFound }
        return .clientError
    }

    /// The later of the header and the ZIA body's own `Retry-After` (real time, as the server says).
    private func retryAfter(_ response: IncomingResponse, _ body: ErrorBody) -> Duration? {
        let header = response.headers.first(name: "retry-after").flatMap(RetryAfter.parse)
        let later: Duration?
        switch (header, body.retryAfter) {
        case (let h?, let b?): later = max(h, b)
        case (let h?, nil): later = h
        case (nil, let b?): later = b
        case (nil, nil): later = nil
        }
        return later
    }

    func pause(_ delay: Duration, _ summary: String) async throws(ZscalerAPIError) {
        do { try await clock.sleep(for: delay) } catch {
            throw ZscalerAPIError(.cancelled, message: "cancelled while waiting to retry", request: summary)
        }
    }

    private func url(for spec: RequestSpec) -> String {
        switch spec.target {
        case .path(let path): baseURL.url(path: path, query: spec.query)
        case .absolute(let base): base.url(path: "", query: spec.query)
        }
    }

    private func pathForSummary(_ target: RequestSpec.Target) -> String {
        switch target {
        case .path(let path): path
        case .absolute(let base): base.string
        }
    }
}

extension RequestPipeline {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return encoder
    }()

    func encode<T: Encodable>(_ value: T) throws(ZscalerAPIError) -> [UInt8] {
        do { return Array(try Self.encoder.encode(value)) } catch {
            throw .invalidArgument("cannot encode \(T.self): \(error)")
        }
    }

    func decode<T: Decodable>(_ type: T.Type, from response: IncomingResponse, request: String) throws(ZscalerAPIError) -> T {
        do { return try JSONDecoder().decode(T.self, from: Data(response.body)) } catch {
            throw ZscalerAPIError(
                .decoding, status: response.status, message: "unexpected \(T.self) body: \(DecodingErrorSummary(error))",
                request: request)
        }
    }

    /// Sends a JSON request and decodes a JSON answer.
    func json<Response: Decodable>(
        _ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: (any Encodable & Sendable)? = nil,
        as: Response.Type, methodClass: MethodClass, idempotent: Bool? = nil, authorizer: (any RequestAuthorizer)?
    ) async throws(ZscalerAPIError) -> Response {
        let bytes = try body.map { value throws(ZscalerAPIError) in try encode(value) }
        let spec = RequestSpec(
            method: method, target: .path(path), query: query, body: bytes, contentType: bytes == nil ? nil : "application/json",
            methodClass: methodClass, idempotent: idempotent)
        let response = try await perform(spec, authorizer: authorizer)
        return try decode(Response.self, from: response, request: "\(method.rawValue) \(path)")
    }
}

/// A decoding error described by where it happened, never by the data (which may hold a token).
struct DecodingErrorSummary: CustomStringConvertible {
    let error: any Error
    init(_ error: any Error) { self.error = error }

    var description: String {
        guard let error = error as? DecodingError else { return "not valid JSON" }
        func path(_ context: DecodingError.Context) -> String {
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return path.isEmpty ? "the top level" : path
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(let type, let context): return "expected \(type) at \(path(context))"
        case .valueNotFound(let type, let context): return "null where \(type) was expected at \(path(context))"
        case .dataCorrupted(let context): return "malformed value at \(path(context))"
        @unknown default: return "undecodable"
        }
    }
}
