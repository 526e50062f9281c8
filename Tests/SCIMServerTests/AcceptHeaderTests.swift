import SCIMCore
import Testing

@testable import SCIMServer

/// `Accept` rules JSON out only when it names no JSON type and no wildcard; the common values
/// take a fast path that must decide the same way as the general one.
@Suite("Accept header")
struct AcceptHeaderTests {
    @Test(
        "JSON, SCIM JSON, wildcards and empty values are accepted, in any case and spacing",
        arguments: [
            nil, "", "  ", "*/*", "application/scim+json", "application/json", " APPLICATION/SCIM+JSON ", "application/*",
            "text/html, application/json;q=0.9", "application/scim+json; charset=utf-8", "text/plain, ",
        ] as [String?])
    func accepted(_ value: String?) throws {
        try HTTPMessages.checkAccept(value)
    }

    @Test("a header that names only other types is 406", arguments: ["text/html", "application/xml, text/plain", "image/*"])
    func refused(_ value: String) {
        #expect(throws: SCIMError.self) { try HTTPMessages.checkAccept(value) }
        do {
            try HTTPMessages.checkAccept(value)
        } catch {
            #expect(error.status == 406)
        }
    }
}
