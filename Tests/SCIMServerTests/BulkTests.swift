import HTTPTypes
import HummingbirdTesting
import SCIMCore
import Testing

@Suite("/Bulk")
struct BulkTests {
    static func bulk(_ ops: String, failOnErrors: Int? = nil) -> String {
        #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],\#(failOnErrors.map { "\"failOnErrors\":\($0)," } ?? "")"Operations":\#(ops)}"#
    }

    @Test("bulkId references resolve whatever the order of operations")
    func references() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let ops = """
                [{"method":"POST","path":"/Groups","bulkId":"g","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"Tour Guides","members":[{"type":"User","value":"bulkId:u"}]}},
                 {"method":"POST","path":"/Users","bulkId":"u","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice@x.test"}},
                 {"method":"PATCH","path":"/Users/bulkId:u","data":{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"title","value":"Guide"}]}}]
                """
            let r = try await client.call(.post, "/scim/v2/Bulk", token: h.acmeToken, body: Self.bulk(ops))
            #expect(r.status == .ok)
            let results = try #require(r["Operations"]?.arrayValue)
            #expect(results.map { $0["status"] } == ["201", "201", "200"])
            #expect(results[0]["bulkId"] == "g")
            let group = try await client.call(.get, "/scim/v2/Groups?filter=displayName%20eq%20%22Tour%20Guides%22", token: h.acmeToken)
            let user = try await client.call(.get, "/scim/v2/Users?filter=userName%20eq%20%22alice@x.test%22", token: h.acmeToken)
            #expect(group["Resources"]?[0]?["members"]?[0]?["value"] == user["Resources"]?[0]?["id"])
            #expect(user["Resources"]?[0]?["title"] == "Guide")
        }
    }

    @Test("cycles and undefined bulkIds fail their operations; failOnErrors stops the job")
    func failures() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let cycle = """
                [{"method":"POST","path":"/Groups","bulkId":"a","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"A","members":[{"value":"bulkId:b"}]}},
                 {"method":"POST","path":"/Groups","bulkId":"b","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"B","members":[{"value":"bulkId:a"}]}},
                 {"method":"POST","path":"/Users","bulkId":"c","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"c@x.test","x":"bulkId:zz"}}]
                """
            let r = try await client.call(.post, "/scim/v2/Bulk", token: h.acmeToken, body: Self.bulk(cycle))
            let statuses = r["Operations"]?.arrayValue?.map { $0["status"]?.stringValue ?? "" } ?? []
            #expect(statuses == ["409", "409", "400"])
            #expect(r["Operations"]?[2]?["response"]?["scimType"] == "invalidValue")

            let three = (1...3).map {
                #"{"method":"POST","path":"/Users","bulkId":"u\#($0)","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]}}"#
            }
            let stopped = try await client.call(
                .post, "/scim/v2/Bulk", token: h.acmeToken, body: Self.bulk("[" + three.joined(separator: ",") + "]", failOnErrors: 2))
            #expect(stopped["Operations"]?.arrayValue?.count == 2)
        }
    }

    @Test("maxOperations and maxPayloadSize are enforced with 413")
    func limits() async throws {
        let h = try await ServerHarness {
            $0.bulkMaxOperations = 2; $0.bulkMaxPayloadSize = 4096
        }
        try await h.run { client in
            let op = #"{"method":"DELETE","path":"/Users/x"}"#
            let tooMany = try await client.call(.post, "/scim/v2/Bulk", token: h.acmeToken, body: Self.bulk("[\(op),\(op),\(op)]"))
            #expect(tooMany.status == .contentTooLarge)
            let huge = Self.bulk("[" + Array(repeating: op, count: 2).joined(separator: ",") + "]").replacingOccurrences(
                of: "/Users/x", with: "/Users/" + String(repeating: "x", count: 5000))
            #expect(try await client.call(.post, "/scim/v2/Bulk", token: h.acmeToken, body: huge).status == .contentTooLarge)
            #expect(
                try await client.call(.post, "/scim/v2/Bulk", token: h.acmeToken, body: #"{"Operations":[]}"#).scimType == "invalidSyntax")
        }
    }
}
