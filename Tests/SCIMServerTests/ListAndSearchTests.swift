import HTTPTypes
import HummingbirdTesting
import SCIMCore
import Testing

@Suite("Listing, filtering, paging, search")
struct ListAndSearchTests {
    static func seed(_ client: TestClientProtocol, _ token: String, count: Int = 7) async throws -> [String] {
        var ids: [String] = []
        for i in 1...count {
            ids.append(
                try await client.createUser(
                    "user\(i)@x.test", token: token,
                    extra:
                        #","displayName":"User \#(i)","emails":[{"type":"work","value":"User\#(i)@Work.test"}],"title":"\#(i % 2 == 0 ? "Eng" : "Ops")""#
                ))
        }
        return ids
    }

    @Test("Entra's and Okta's lookups, with + and %20 and a trailing &")
    func clientLookups() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let ids = try await Self.seed(client, h.acmeToken)
            #expect(
                try await client.call(.get, "/scim/v2/Users?filter=userName+eq+%22USER3%40x.test%22&", token: h.acmeToken).ids == [ids[2]])
            #expect(
                try await client.call(
                    .get, "/scim/v2/Users?filter=userName%20eq%20%22user3@x.test%22&startIndex=1&count=100", token: h.acmeToken
                ).ids == [ids[2]])
            let miss = try await client.call(
                .get, "/scim/v2/Users?filter=userName+eq+%227d420df3-9995-4831-a406-ecf8166f5f6a%22", token: h.acmeToken)
            #expect(miss.status == .ok && miss.total == 0 && miss["Resources"] == .array([]))
            #expect(
                try await client.call(
                    .get, "/scim/v2/Users?filter=emails%5Btype+eq+%22work%22%5D.value+eq+%22user4%40work.test%22", token: h.acmeToken
                ).ids == [ids[3]])
            #expect(
                try await client.call(.get, "/scim/v2/Users?filter=emails.value+eq+%22USER5%40work.test%22", token: h.acmeToken).ids == [
                    ids[4]
                ])
            #expect(try await client.call(.get, "/scim/v2//Users?filter=title%20eq%20%22Eng%22", token: h.acmeToken).total == 3)
        }
    }

    @Test("index paging: exact totals, full pages, clamped count, stable order")
    func indexPaging() async throws {
        let h = try await ServerHarness { $0.maxResults = 3 }
        try await h.run { client in
            let ids = try await Self.seed(client, h.acmeToken)
            let first = try await client.call(.get, "/scim/v2/Users?startIndex=1&count=2", token: h.acmeToken)
            #expect(first.total == 7 && first.ids == Array(ids[0..<2]) && first["itemsPerPage"] == 2 && first["startIndex"] == 1)
            let clamped = try await client.call(.get, "/scim/v2/Users?startIndex=3&count=50", token: h.acmeToken)
            #expect(clamped.ids == Array(ids[2..<5]))
            let last = try await client.call(.get, "/scim/v2/Users?startIndex=7&count=3", token: h.acmeToken)
            #expect(last.ids == [ids[6]] && last.total == 7)
            #expect(try await client.call(.get, "/scim/v2/Users?startIndex=0&count=-1", token: h.acmeToken).ids == [])
            let filtered = try await client.call(
                .get, "/scim/v2/Users?filter=title%20eq%20%22Ops%22&startIndex=2&count=2", token: h.acmeToken)
            #expect(filtered.total == 4 && filtered.ids == [ids[2], ids[4]])
            #expect(try await client.call(.get, "/scim/v2/Users?count=abc", token: h.acmeToken).scimType == "invalidValue")
        }
    }

    @Test("sorting by an indexed and a non-indexed attribute")
    func sorting() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let ids = try await Self.seed(client, h.acmeToken, count: 3)
            #expect(
                try await client.call(.get, "/scim/v2/Users?sortBy=userName&sortOrder=descending", token: h.acmeToken).ids == ids.reversed()
            )
            #expect(
                try await client.call(.get, "/scim/v2/Users?sortBy=title&filter=userName%20pr", token: h.acmeToken).ids == [
                    ids[1], ids[0], ids[2],
                ])
            #expect(try await client.call(.get, "/scim/v2/Users?sortBy=nope", token: h.acmeToken).status == .badRequest)
        }
    }

    @Test("attributes and excludedAttributes shape list results")
    func projection() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            _ = try await Self.seed(client, h.acmeToken, count: 1)
            let r = try await client.call(.get, "/scim/v2/Users?attributes=userName", token: h.acmeToken)
            let keys = Set(r["Resources"]?[0]?.objectValue?.keys ?? [])
            #expect(keys == ["schemas", "id", "userName"])
            let x = try await client.call(.get, "/scim/v2/Users?excludedAttributes=emails,meta", token: h.acmeToken)
            #expect(x["Resources"]?[0]?["emails"] == nil && x["Resources"]?[0]?["meta"] == nil && x["Resources"]?[0]?["userName"] != nil)
        }
    }

    @Test("bad filters are 400 invalidFilter, never an empty 200")
    func badFilters() async throws {
        let h = try await ServerHarness { $0.maxFilterLength = 200 }
        try await h.run { client in
            for filter in [
                "userName%20eq", "externalId%20eq%20jyoung", "bogus%20eq%20%22x%22", "active%20gt%20true",
                String(repeating: "(", count: 60) + "userName%20pr" + String(repeating: ")", count: 60),
                "userName%20eq%20%22" + String(repeating: "a", count: 300) + "%22",
            ] {
                let r = try await client.call(.get, "/scim/v2/Users?filter=\(filter)", token: h.acmeToken)
                #expect(r.status == .badRequest && r.scimType == "invalidFilter", "\(filter)")
            }
        }
    }

    @Test("cursor paging walks every resource once; tampered, foreign and expired cursors are refused")
    func cursors() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let ids = try await Self.seed(client, h.acmeToken)
            var seen: [String] = []
            var cursor = ""
            for _ in 0..<10 {
                let r = try await client.call(.get, "/scim/v2/Users?count=3&cursor=\(cursor)", token: h.acmeToken)
                #expect(r.total == 7)
                seen += r.ids
                guard let next = r["nextCursor"]?.stringValue else { break }
                cursor = next
            }
            #expect(seen == ids)
            let tampered = cursor.dropLast(2) + (cursor.hasSuffix("AA") ? "BB" : "AA")
            #expect(
                try await client.call(.get, "/scim/v2/Users?count=3&cursor=\(tampered)", token: h.acmeToken).scimType == "invalidCursor")
            let first = try await client.call(.get, "/scim/v2/Users?count=3&cursor=", token: h.acmeToken)
            let next = try #require(first["nextCursor"]?.stringValue)
            #expect(try await client.call(.get, "/scim/v2/Users?count=3&cursor=\(next)", token: h.globexToken).scimType == "invalidCursor")
            #expect(
                try await client.call(.get, "/scim/v2/Users?count=3&filter=userName%20pr&cursor=\(next)", token: h.acmeToken).scimType
                    == "invalidCursor")
            let sorted = try await client.call(
                .get, "/scim/v2/Users?count=4&sortBy=userName&sortOrder=descending&cursor=", token: h.acmeToken)
            let sortedNext = try #require(sorted["nextCursor"]?.stringValue)
            let rest = try await client.call(
                .get, "/scim/v2/Users?count=4&sortBy=userName&sortOrder=descending&cursor=\(sortedNext)", token: h.acmeToken)
            #expect(sorted.ids + rest.ids == ids.reversed())
            #expect(rest["nextCursor"] == nil)
        }
        let expiring = try await ServerHarness { $0.cursorTimeout = -1 }
        try await expiring.run { client in
            _ = try await Self.seed(client, expiring.acmeToken, count: 2)
            let first = try await client.call(.get, "/scim/v2/Users?count=1&cursor=", token: expiring.acmeToken)
            let next = try #require(first["nextCursor"]?.stringValue)
            #expect(
                try await client.call(.get, "/scim/v2/Users?count=1&cursor=\(next)", token: expiring.acmeToken).scimType == "expiredCursor")
        }
    }

    @Test("POST .search per type and at the root")
    func search() async throws {
        let h = try await ServerHarness()
        try await h.run { client in
            let ids = try await Self.seed(client, h.acmeToken, count: 3)
            let groupID = try await client.createGroup("Eng", members: [ids[0]], token: h.acmeToken)
            let body =
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"userName sw \"user\"","attributes":["userName"],"count":2}"#
            let r = try await client.call(.post, "/scim/v2/Users/.search", token: h.acmeToken, body: body)
            #expect(r.total == 3 && r.ids.count == 2)
            let root = try await client.call(
                .post, "/scim/v2/.search", token: h.acmeToken,
                body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"displayName eq \"Eng\""}"#)
            #expect(root.ids == [groupID])
            let both = try await client.call(
                .post, "/scim/v2/.search", token: h.acmeToken, body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"]}"#
            )
            #expect(both.total == 4)
            #expect(
                try await client.call(
                    .post, "/scim/v2/.search", token: h.acmeToken,
                    body: #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:SearchRequest"],"filter":"nope eq 1"}"#
                ).scimType == "invalidFilter")
        }
    }
}
