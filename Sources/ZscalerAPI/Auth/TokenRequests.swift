/// The two token requests: ZIdentity client credentials for OneAPI (reference §7.1) and ZPA's
/// `/signin` (§8.1). Both are form posts; they differ in URL, fields and the type of `expires_in`.
enum TokenRequests {
    static func oneAPI(
        _ credentials: OneAPICredentials, tokenURL: BaseURL, pipeline: RequestPipeline
    ) async throws(ZscalerAPIError) -> BearerTokenCache.Grant {
        let form = FormEncoding.encode([
            ("grant_type", "client_credentials"), ("client_id", credentials.clientID),
            ("client_secret", credentials.clientSecret.revealed), ("audience", credentials.audience),
        ])
        // Asking twice only yields a second token, so the request is resent like a GET.
        let spec = RequestSpec(
            method: .POST, target: .absolute(tokenURL), body: Array(form.utf8), contentType: "application/x-www-form-urlencoded",
            methodClass: .token, idempotent: true)
        let response = try await authenticate(spec, pipeline: pipeline)
        let answer = try pipeline.decode(OneAPITokenResponse.self, from: response, request: "POST token")
        return try grant(token: answer.access_token, expiresIn: answer.expires_in.value)
    }

    static func zpaSignIn(_ credentials: ZPACredentials, pipeline: RequestPipeline) async throws(ZscalerAPIError) -> BearerTokenCache.Grant
    {
        let form = FormEncoding.encode([("client_id", credentials.clientID), ("client_secret", credentials.clientSecret.revealed)])
        let spec = RequestSpec(
            method: .POST, target: .path("/signin"), body: Array(form.utf8), contentType: "application/x-www-form-urlencoded",
            methodClass: .session, idempotent: true)
        let response = try await authenticate(spec, pipeline: pipeline)
        let answer = try pipeline.decode(ZPASignInResponse.self, from: response, request: "POST /signin")
        return try grant(token: answer.access_token, expiresIn: answer.expires_in.value)
    }

    /// Sends a credential request; a 4xx answer means the credentials were refused.
    private static func authenticate(_ spec: RequestSpec, pipeline: RequestPipeline) async throws(ZscalerAPIError) -> IncomingResponse {
        do {
            return try await pipeline.perform(spec, authorizer: nil)
        } catch  where error.kind == .http || error.kind == .notFound {
            throw ZscalerAPIError(
                .authenticationFailed, status: error.status, zscalerCode: error.zscalerCode, message: error.message,
                request: error.request)
        }
    }

    /// `expires_in` is real seconds as the server says (the emulator reports it already scaled).
    private static func grant(token: String, expiresIn: Int64) throws(ZscalerAPIError) -> BearerTokenCache.Grant {
        guard !token.isEmpty else { throw ZscalerAPIError(.decoding, message: "the token answer has an empty access_token") }
        // ZIdentity allows 1 minute to 24 hours (§7.1); anything outside is a broken answer.
        guard expiresIn > 0, expiresIn <= 7 * 86_400 else {
            throw ZscalerAPIError(.decoding, message: "the token answer has an implausible expires_in of \(expiresIn) s")
        }
        return .init(token: token, lifetime: .seconds(expiresIn))
    }
}
