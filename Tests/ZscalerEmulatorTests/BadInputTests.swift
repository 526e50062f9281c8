import Foundation
import Testing
import ZscalerEmulator

/// Hostile or broken requests get a clear error, never a crash or a hang.
@Suite struct BadInputTests {
    @Test func oversizedBodiesAreRefused() async throws {
        try await withEmulator({ $0.maxBodyBytes = 4096 }) { h in
            let cookie = [("Cookie", try await h.login())]
            let big = String(repeating: "x", count: 10_000)
            let zia = try await h.send(
                .POST, "/api/v1/users", headers: cookie, body: #"{"name":"\#(big)"}"#, contentType: "application/json")
            #expect(zia.status == 413)
            let scim = try await h.send(
                .POST, "/scim/1/\(h.credentials.zpaIdpId)/v2/Users", headers: [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")],
                body: #"{"userName":"\#(big)"}"#, contentType: "application/scim+json")
            #expect(scim.status == 413)
        }
    }

    @Test func extremePagingAndBrokenEncodingsAreHandled() async throws {
        try await withEmulator { h in
            let cookie = [("Cookie", try await h.login())]
            let huge = try await h.send(.GET, "/api/v1/users?page=9223372036854775807&pageSize=10000", headers: cookie)
            #expect(huge.status == 200 && huge.array.isEmpty)
            #expect(try await h.send(.GET, "/api/v1/users?page=99999999999999999999999", headers: cookie).status == 400)
            let scim = [("Authorization", "Bearer \(h.credentials.zpaSCIMToken)")]
            let path = "/scim/1/\(h.credentials.zpaIdpId)/v2"
            #expect(try await h.send(.GET, "\(path)/Users?startIndex=-5&count=-1", headers: scim).status == 200)
            #expect(try await h.send(.GET, "\(path)/Users?filter=userName%20eq%20%22unterminated", headers: scim).status == 400)
            #expect(
                try await h.send(.POST, "\(path)/Users", headers: scim, body: "[1,2]", contentType: "application/scim+json").status == 400)
            #expect(try await h.send(.POST, "\(path)/Users", headers: scim, body: "{}", contentType: "text/plain").status == 415)
            let badForm = try await h.send(.POST, "/signin", body: "client_id=%ZZ", contentType: "application/x-www-form-urlencoded")
            #expect(badForm.status == 400)
            let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
            #expect(try await h.send(.POST, "\(path)/Users", headers: scim, body: deep, contentType: "application/scim+json").status == 400)
        }
    }
}
