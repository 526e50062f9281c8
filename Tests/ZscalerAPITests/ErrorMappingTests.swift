import Foundation
import NIOHTTP1
import Testing

@testable import ZscalerAPI

@Suite("Error bodies and retry classification")
struct ErrorMappingTests {
    func body(_ file: String) throws -> ErrorBody { ErrorBody(Array(try WireFiles.data(file))) }

    @Test("every golden error body yields a code or a message")
    func everyErrorBody() throws {
        for file in WirePayloadTests.errorFiles {
            let parsed = try body(file)
            #expect(parsed.code != nil || parsed.message != nil, "\(file)")
        }
    }

    @Test("ZIA bodies: code and message, code only, message only")
    func ziaShapes() throws {
        #expect(try body("zia-error-401-session-not-valid.json") == ErrorBody(code: .sessionNotValid, message: "Session is not valid"))
        #expect(try body("zia-error-409-edit-lock.json") == ErrorBody(code: .editLockNotAvailable))
        #expect(try body("zia-error-400-body-invalid.json") == ErrorBody(message: "Request body is invalid."))
        let limited = try body("zia-error-429-rate-limit.json")
        #expect(limited.message == "Rate Limit (1/SECOND) exceeded" && limited.retryAfter == .seconds(1))
        #expect(try body("zia-error-429-rate-limit-hourly.json").retryAfter == .seconds(1800))
    }

    @Test("ZPA, OneAPI and OAuth bodies")
    func otherShapes() throws {
        #expect(try body("zpa-error-429.json").code == .zpaTooManyRequests)
        #expect(try body("zpa-error-400-resource-not-found.json").code == .zpaResourceNotFound)
        #expect(try body("oneapi-error-401-unauthorized.json").message == "unauthorized")
        #expect(
            try body("oneapi-token-error-400.json")
                == ErrorBody(code: ZscalerErrorCode("invalid_client"), message: "Client authentication failed"))
        #expect(try body("zpa-scim-error-404.json").message?.hasPrefix("Resource ") == true)
        #expect(ErrorBody([]) == ErrorBody())
        #expect(ErrorBody(Array("<html>gateway timeout</html>".utf8)).message == "<html>gateway timeout</html>")
    }

    @Test("classification: what is retried and how")
    func classification() throws {
        typealias C = RequestPipeline.Classification
        #expect(RequestPipeline.classify(status: 429, body: try body("zia-error-429-rate-limit.json")) == C.throttled)
        #expect(RequestPipeline.classify(status: 429, body: try body("zpa-error-429.json")) == C.throttled)
        #expect(RequestPipeline.classify(status: 401, body: try body("zia-error-401-resource-access-blocked.json")) == C.throttled)
        #expect(RequestPipeline.classify(status: 401, body: try body("zia-error-401-session-not-valid.json")) == C.clientError)
        #expect(RequestPipeline.classify(status: 409, body: try body("zia-error-409-edit-lock.json")) == C.editLock)
        #expect(RequestPipeline.classify(status: 409, body: ErrorBody(code: .duplicateItem)) == C.clientError)
        #expect(RequestPipeline.classify(status: 500, body: try body("zia-error-500-unexpected.json")) == C.serverError)
        #expect(RequestPipeline.classify(status: 503, body: ErrorBody()) == C.serverError)
        #expect(RequestPipeline.classify(status: 404, body: ErrorBody()) == C.notFound)
        #expect(RequestPipeline.classify(status: 400, body: try body("zpa-error-400-resource-not-found.json")) == C.notFound)
        #expect(RequestPipeline.classify(status: 400, body: try body("zia-error-400-invalid-input-argument.json")) == C.clientError)
        #expect(RequestPipeline.classify(status: 403, body: try body("zia-error-403-state-readonly.json")) == C.clientError)
    }

    @Test("Retry-After in every form Zscaler and the emulator use")
    func retryAfter() {
        #expect(RetryAfter.parse("1") == .seconds(1))
        #expect(RetryAfter.parse("13s") == .seconds(13))
        #expect(RetryAfter.parse("1 seconds") == .seconds(1))
        #expect(RetryAfter.parse("0 seconds") == .zero)
        #expect(RetryAfter.parse("0.36") == .milliseconds(360))
        #expect(RetryAfter.parse(" 2 ") == .seconds(2))
        #expect(RetryAfter.parse("Wed, 21 Oct 2015 07:28:00 GMT") == nil)
        #expect(RetryAfter.parse("-1") == nil)
        #expect(RetryAfter.parse("1e400") == nil)
    }

    @Test("errors compare by kind and describe themselves without secrets")
    func errorValue() {
        let error = ZscalerAPIError(
            .rateLimited, status: 429, zscalerCode: nil, message: "Rate Limit (1/SECOND) exceeded", request: "GET /users", attempts: 9,
            retryAfter: .seconds(1))
        #expect(error.kind == .rateLimited && error.kind != .editLocked)
        #expect(error.description == "ZscalerAPIError.rateLimited GET /users HTTP 429 after 9 attempts: Rate Limit (1/SECOND) exceeded")
    }

    @Test("the JSESSIONID comes out of Set-Cookie whatever its attributes")
    func cookie() {
        var headers = HTTPHeaders()
        headers.add(name: "Set-Cookie", value: "other=1; Path=/")
        headers.add(name: "Set-Cookie", value: "JSESSIONID=0123456789ABCDEF0123456789ABCDEF; Path=/; Secure; HttpOnly")
        #expect(ZIALegacySession.sessionID(in: headers) == "0123456789ABCDEF0123456789ABCDEF")
        #expect(ZIALegacySession.sessionID(in: HTTPHeaders([("Set-Cookie", "JSESSIONID=; Path=/")])) == nil)
    }
}
