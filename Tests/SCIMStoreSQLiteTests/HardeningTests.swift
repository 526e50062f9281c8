import Foundation
import GRDB
import Logging
import SCIMCore
import SCIMStoreContract
import Testing

@testable import SCIMBridge
@testable import SCIMStoreSQLite

/// Issue 8's defects that live in the service on its SQLite store: each test failed before its fix.
@Suite("Hardening on SQLite")
struct HardeningTests {
    static let schemas = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas").path

    /// A service on a fresh SQLite file with one tenant.
    final class Fixture: Sendable {
        let store: SQLiteDirectoryStore
        let service: SCIMService
        let request: SCIMRequest
        let directory: URL

        init(configure: (inout ServiceConfiguration) -> Void = { _ in }) async throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-hardening-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            store = try SQLiteDirectoryStore(path: directory.appendingPathComponent("zscim.sqlite").path)
            let tenant = Tenant(id: "tid-acme", name: "acme", created: .now())
            try await store.createTenant(tenant)
            var configuration = ServiceConfiguration(cursorSecret: Array(repeating: 1, count: 32))
            configure(&configuration)
            service = try SCIMService(
                store: store, registry: try SchemaRegistry.load(directory: HardeningTests.schemas), configuration: configuration,
                logger: Logger(label: "test"))
            request = SCIMRequest(tenant: tenant, baseURL: "https://scim.example.com/scim/v2")
        }

        func cleanUp() { try? FileManager.default.removeItem(at: directory) }

        func user(_ userName: String) async throws(SCIMError) -> String {
            let body = try! JSONParser().parse(
                Array(
                    #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":\#(JSONValue.string(userName).serialized())}"#
                        .utf8))
            return try await service.create(request, kind: .user, body: body).body["id"]!.stringValue!
        }

        func group(_ name: String, members: [String]) async throws -> String {
            let list = members.map { #"{"value":"\#($0)"}"# }.joined(separator: ",")
            let body = try JSONParser().parse(
                Array(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(name)","members":[\#(list)]}"#.utf8))
            return try await service.create(request, kind: .group, body: body).body["id"]!.stringValue!
        }

        func ids(_ filter: String, kind: ResourceKind = .user, attributes: [String] = []) async throws -> Set<String> {
            var p = ListParameters()
            p.filter = filter
            p.attributes = attributes
            let out = try await service.list(request, kind: kind, parameters: p)
            return Set((out["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue })
        }
    }

    @Test("users are found by every sub-attribute of their groups (defect 1)")
    func groupsFilter() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let ada = try await f.user("ada@example.com")
        let bob = try await f.user("bob@example.com")
        _ = try await f.user("eve@example.com")
        let eng = try await f.group("Engineering", members: [ada, bob])
        let ops = try await f.group("Ops", members: [bob])
        #expect(try await f.ids(#"groups.value eq "\#(eng)""#) == [ada, bob])
        #expect(try await f.ids(#"groups.value eq "\#(ops)""#) == [bob])
        #expect(try await f.ids(#"groups.display eq "engineering""#) == [ada, bob])
        #expect(try await f.ids(#"groups[display eq "Ops"]"#) == [bob])
        #expect(try await f.ids(#"groups.type eq "direct""#) == [ada, bob])
        #expect(try await f.ids(#"groups.$ref co "\#(ops)""#) == [bob])
        #expect(try await f.ids(#"groups pr"#) == [ada, bob])
        #expect(try await f.ids(#"not (groups pr)"#).count == 1)
        // An indexed lookup combined with a groups condition, and the groups shown for it.
        #expect(try await f.ids(#"userName eq "bob@example.com" and groups.value eq "\#(ops)""#) == [bob])
        var p = ListParameters()
        p.filter = #"userName eq "ada@example.com""#
        let page = try await f.service.list(f.request, kind: .user, parameters: p)
        let groups = page["Resources"]?.arrayValue?.first?["groups"]?.arrayValue ?? []
        #expect(groups.compactMap { $0["value"]?.stringValue } == [eng])
    }

    @Test("a blank userName is refused, and Unicode spellings of one name are one user (defect 2)")
    func blankAndNormalForms() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        for blank in [" ", "", "\t\n", "\u{3000}"] {
            do {
                _ = try await f.user(blank)
                Issue.record("userName \(blank.unicodeScalars.map(\.value)) was accepted")
            } catch {
                #expect(error.status == 400 && error.scimType == .invalidValue)
            }
        }
        let composed = try await f.user("jos\u{00E9}@x.com")
        do {
            _ = try await f.user("jose\u{0301}@x.com")
            Issue.record("the decomposed spelling made a second user")
        } catch {
            #expect(error.status == 409 && error.scimType == .uniqueness)
        }
        #expect(try await f.ids(#"userName eq "jose\#u{0301}@X.COM""#) == [composed])
    }

    @Test("LIMIT and OFFSET are bound: paging does not grow the statement cache (defect 5)")
    func boundPaging() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        for i in 0..<3 { _ = try await f.user("u\(i)@example.com") }
        func statements() async throws -> Int {
            try await f.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_stmt") ?? 0 }
        }
        for i in 0..<5 { _ = try await f.store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user, offset: i, limit: i + 1)) }
        let before = try await statements()
        for i in 5..<60 { _ = try await f.store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user, offset: i, limit: i + 1)) }
        let after = try await statements()
        #expect(after - before < 5, "\(after - before) statements kept for 55 page windows")
        let window = try await f.store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user, offset: 1, limit: 1))
        #expect(window.resources.count == 1 && window.total == 3)
        #expect(try await f.store.list(tenantID: "tid-acme", query: StoreQuery(kind: .user, offset: 2)).resources.count == 1)
    }

    @Test("id lists of any length share one statement: groups, references and group counts (defect 5)")
    func boundIDLists() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        var ids: [String] = []
        for i in 0..<3 { ids.append(try await f.user("u\(i)@example.com")) }
        let groupID = try await f.group("Staff", members: ids)
        func statements() async throws -> Int {
            try await f.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_stmt") ?? 0 }
        }
        func lookUp(_ n: Int) async throws {
            let asked = ids + (0..<n).map { "absent-\($0)" }
            let groups = try await f.store.groups(tenantID: "tid-acme", memberIDs: asked)
            #expect(groups.count == 3 && groups.values.allSatisfy { $0.map(\.id) == [groupID] && $0.first?.display == "Staff" })
            let references = try await f.store.references(tenantID: "tid-acme", ids: asked + [groupID])
            #expect(references.count == 4 && references[groupID]?.kind == .group && references[ids[0]]?.display == "u0@example.com")
            let counts = try await f.store.groupCounts(tenantID: "tid-acme", userIDs: asked)
            #expect(counts.count == 3 && counts.values.allSatisfy { $0 == 1 })
        }
        for n in 0..<3 { try await lookUp(n) }
        let before = try await statements()
        // Lengths past the old 500-id chunk too.
        for n in [3, 4, 7, 20, 100, 499, 500, 501, 1200] { try await lookUp(n) }
        let after = try await statements()
        #expect(after - before < 3, "\(after - before) statements kept for 9 list lengths")
    }

    @Test("id-list lookups search members and resources by index per id, never the tenant's whole membership")
    func idListPlans() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let twoArguments: StatementArguments = [#"["a","b"]"#, "tid-acme"]
        let statements: [(String, StatementArguments)] = [
            (IDListSQL.groups, twoArguments), (IDListSQL.references, twoArguments), (IDListSQL.groupCounts, twoArguments),
            (IDListSQL.alreadyMembers, [#"["a","b"]"#, "tid-acme", "g"]),
        ]
        for (sql, arguments) in statements {
            let plan = try await f.store.pool.read { db in
                try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map {
                    $0["detail"] as String
                }
            }
            let tables = plan.filter { $0.contains(" m ") || $0.contains(" r ") || $0.hasSuffix(" m") || $0.hasSuffix(" r") }
            #expect(!tables.isEmpty, "\(plan)")
            for step in tables {
                #expect(step.hasPrefix("SEARCH"), "\(step) in \(plan)")
                #expect(step.contains("member_id=?") || step.contains("id=?"), "\(step) in \(plan)")
            }
            #expect(plan.first?.hasPrefix("SCAN j") == true, "the id list is not the outer loop: \(plan)")
        }
        // Duplicates are looked up once.
        #expect(IDListSQL.list(["a", "b", "a"]) == #"["a","b"]"#)
    }

    @Test("cached reads are not re-prepared when their arguments change (the kind is a literal, not a bound parameter)")
    func noReprepare() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        var ids: [String] = []
        for i in 0..<4 { ids.append(try await f.user("r\(i)@example.com")) }
        let group = try await f.group("Readers", members: ids)
        for round in 0..<30 {
            _ = try await f.store.resource(tenantID: "tid-acme", kind: .user, id: ids[round % 4])
            _ = try await f.store.resource(tenantID: "tid-acme", kind: .group, id: group)
            var query = StoreQuery(kind: round % 2 == 0 ? .user : .group, conditions: [.idEquals(round % 2 == 0 ? ids[round % 4] : group)])
            query.countTotal = false
            _ = try await f.store.list(tenantID: "tid-acme", query: query)
        }
        // Every connection the reads used (these key reads go through the point readers, which
        // fall back on the pool's): how often SQLite re-prepared the resource statements.
        let statements = { @Sendable (db: Database) throws -> [Int] in
            try Int.fetchAll(db, sql: "SELECT reprep FROM sqlite_stmt WHERE sql LIKE '%FROM resources%'")
        }
        var counts = try f.store.pointReaders.eachIdle(statements)
        for _ in 0..<8 { counts.append(try await f.store.pool.read(statements)) }
        let seen = counts.map(\.count).reduce(0, +)
        let reprepared = counts.joined().max() ?? 0
        #expect(seen > 0, "no reader held the statements")
        #expect(reprepared == 0, "a resource statement was re-prepared \(reprepared) times")
    }

    @Test("text prefilters pushed into SQLite find exactly what the in-memory evaluation finds, for tricky values")
    func textPrefilterAgreesWithEvaluation() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let memoryStore = InMemoryDirectoryStore()
        try await memoryStore.createTenant(f.request.tenant)
        let memory = try SCIMService(
            store: memoryStore, registry: try SchemaRegistry.load(directory: Self.schemas),
            configuration: ServiceConfiguration(cursorSecret: Array(repeating: 1, count: 32)), logger: Logger(label: "test"))
        let titles = [
            "Director", "director", "DIRECTOR", "Managing Director", "Director of 100% Fun", "Dir_ctor", #"Back\slash"#, "D\u{00EF}rector",
            "\u{212A}elvin", "kelvin", "Stra\u{00DF}e", "STRASSE", " Director", "Tilde~X", "",
        ]
        for (i, title) in titles.enumerated() {
            var body = JSONObject()
            body["schemas"] = .array([.string(SchemaURN.user)])
            body["userName"] = .string("t\(i)@example.com")
            // The last user has no title at all (absent is not empty).
            if i < titles.count - 1 { body["title"] = .string(title) }
            // nickName has no text column: the JSON test in SQL stays covered.
            body["nickName"] = .string(title)
            var name = JSONObject()
            name["familyName"] = .string(title)
            body["name"] = .object(name)
            var enterprise = JSONObject()
            enterprise["department"] = .string(title)
            body["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = .object(enterprise)
            _ = try await f.service.create(f.request, kind: .user, body: .object(body))
            _ = try await memory.create(f.request, kind: .user, body: .object(body))
        }
        func userNames(_ service: SCIMService, _ filter: String) async throws -> Set<String> {
            var p = ListParameters()
            p.filter = filter
            p.count = 100
            let out = try await service.list(f.request, kind: .user, parameters: p)
            return Set((out["Resources"]?.arrayValue ?? []).compactMap { $0["userName"]?.stringValue })
        }
        let filters = [
            #"title eq "director""#, #"title sw "DIR""#, #"title ew "tor""#, #"title co "100%""#, #"title co "r_c""#,
            #"title eq "dir_ctor""#,
            #"title co "\\""#, #"title eq "kelvin""#, #"title eq "strasse""#, #"title eq """#, #"title co "%""#, #"title sw "_""#,
            #"name.familyName sw "man""#, #"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "DIRECTOR""#,
            #"title eq "director" and userName sw "t1""#, #"title eq "director" or title eq "kelvin""#, #"not (title eq "director")"#,
            #"title sw "tilde~""#, #"title sw "tilde""#, #"title co """#, #"title pr"#, #"title sw "dir" and title ew "tor""#,
            #"title eq "director\u0000x""#, #"title co "\u0000""#, #"title co "x""#, #"nickName eq "director\u0000x""#,
            #"nickName eq "director""#, #"nickName sw "DIR""#, #"nickName co "100%""#, #"nickName eq "kelvin""#, #"nickName co """#,
        ]
        for filter in filters {
            let pushed = try await userNames(f.service, filter)
            let evaluated = try await userNames(memory, filter)
            #expect(pushed == evaluated, "\(filter): SQLite \(pushed.sorted()), in memory \(evaluated.sorted())")
        }
        // The prefilter is really made (so the agreement above is not vacuous) and really narrows.
        let compiler = FilterCompiler(definition: f.service.definition(.user))
        let compiled = try CompiledFilter.compile(#"title eq "director""#, for: f.service.definition(.user))
        let prefilters = compiler.textPrefilters(compiled.filter)
        #expect(prefilters == [TextPrefilter(keys: ["title"], match: .equals, value: "director", foldsCase: true)])
        let narrowed = try await f.store.list(
            tenantID: "tid-acme", query: StoreQuery(kind: .user, conditions: prefilters.map { .text($0) }))
        #expect(narrowed.total < titles.count && narrowed.total >= 3, "\(narrowed.total)")
        // An indexed attribute's test is answered from its text column and that column's index.
        for keys in TextIndexes.columns.map(\.keys) {
            for match in [TextPrefilter.Match.equals, .startsWith, .endsWith, .contains] {
                for value in ["dir", "di~"] {
                    let prefilter = TextPrefilter(keys: keys, match: match, value: value)
                    let test = try #require(TextIndexes.condition(prefilter, kind: .user))
                    let column = try #require(TextIndexes.column(keys))
                    let index = column.index
                    // Which index a query is made to read: equality always, a prefix on a first
                    // query only, `ew`/`co` never (SQLite's choice).
                    let forced = TextIndexes.index(for: [.idEquals("x"), .text(prefilter)], kind: .user, afterSequence: nil)
                    let forcedLater = TextIndexes.index(for: [.text(prefilter)], kind: .user, afterSequence: 42)
                    #expect(forced == (match == .equals || match == .startsWith ? index : nil))
                    #expect(forcedLater == (match == .equals ? index : nil))
                    // INDEXED BY fails the statement if the index cannot serve it; an equality
                    // must be a search on the column. The other matches walk the tenant's part
                    // of the index, reading the indexed value, not the JSON (20-40 ms over
                    // 100,000 users, against 600 ms for the JSON test).
                    let plan = try await f.store.pool.read { db in
                        try Row.fetchAll(
                            db,
                            sql:
                                "EXPLAIN QUERY PLAN SELECT seq FROM resources INDEXED BY \(index) WHERE tenant_id = ? AND kind = 'User' AND \(test.sql)",
                            arguments: StatementArguments(["tid-acme"] + test.arguments)
                        ).map { $0["detail"] as String }
                    }
                    #expect(plan.allSatisfy { $0.contains(index) }, "\(keys) \(match) \(value): \(plan)")
                    if match == .equals {
                        #expect(plan.allSatisfy { $0.contains("\(column.name)=?") }, "\(keys) \(match) \(value): \(plan)")
                    }
                }
            }
        }
        #expect(TextIndexes.condition(TextPrefilter(keys: ["nickName"], match: .equals, value: "x"), kind: .user) == nil)
        #expect(
            compiler.textPrefilters(try CompiledFilter.compile(#"emails.value eq "x""#, for: f.service.definition(.user)).filter).isEmpty)
        #expect(
            compiler.textPrefilters(try CompiledFilter.compile(#"title eq "d\#u{00EF}""#, for: f.service.definition(.user)).filter).isEmpty)
    }

    @Test(
        "string tests on indexed attributes are paged and counted by SQLite alone, exactly; a non-ASCII value sends them back to evaluation"
    )
    func exactTextSearch() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let titles = ["Director", "director", "Managing Director", "Engineer", "DIRECTOR", "Dir_ctor", "Director of 100% Fun"]
        func create(_ userName: String, title: String, family: String) async throws {
            var body = JSONObject()
            body["schemas"] = .array([.string(SchemaURN.user)])
            body["userName"] = .string(userName)
            body["title"] = .string(title)
            body["name"] = .object(JSONObject([("familyName", .string(family))]))
            _ = try await f.service.create(f.request, kind: .user, body: .object(body))
        }
        for (i, title) in titles.enumerated() { try await create("e\(i)@example.com", title: title, family: "Fam\(i % 3)") }
        func search(_ filter: String, startIndex: Int = 1, count: Int = 100) async throws -> (total: Int, users: [String]) {
            var p = ListParameters()
            p.filter = filter
            p.startIndex = startIndex
            p.count = count
            let out = try await f.service.list(f.request, kind: .user, parameters: p)
            let users = (out["Resources"]?.arrayValue ?? []).compactMap {
                $0["userName"]?.stringValue?.split(separator: "@").first.map(String.init)
            }
            return (Int(out["totalResults"]?.numberValue?.integer ?? -1), users)
        }
        let expected: [(String, [String])] = [
            (#"title eq "director""#, ["e0", "e1", "e4"]),
            (#"title sw "DIR""#, ["e0", "e1", "e4", "e5", "e6"]),
            (#"title co "100%""#, ["e6"]),
            (#"title co "r_c""#, ["e5"]),
            (#"title ew "TOR""#, ["e0", "e1", "e2", "e4", "e5"]),
            (#"title eq "director" and name.familyName eq "fam1""#, ["e1", "e4"]),
            (#"title eq "nobody""#, []),
        ]
        func checkAll(alsoEndingInTOR: [String] = []) async throws {
            for (filter, users) in expected {
                let found = try await search(filter)
                let users = filter.hasSuffix(#"ew "TOR""#) ? users + alsoEndingInTOR : users
                #expect(found.total == users.count && found.users == users, "\(filter): \(found)")
            }
            // Index paging over the exact total, in creation order.
            let second = try await search(#"title sw "dir""#, startIndex: 2, count: 2)
            #expect(second.total == 5 && second.users == ["e1", "e4"], "\(second)")
        }
        let compiler = FilterCompiler(definition: f.service.definition(.user))
        let titleEq = compiler.textPrefilters(try CompiledFilter.compile(#"title eq "director""#, for: f.service.definition(.user)).filter)
        let query = StoreQuery(kind: .user, conditions: titleEq.map { .text($0) })
        // All ASCII: SQLite answers alone (so the checks below exercise that path).
        let alone = try await f.store.exactList(tenantID: "tid-acme", query: query)
        #expect(alone?.total == 3)
        try await checkAll()
        // nickName has no index, and userName compares case-insensitively but is not text-indexed.
        let nick = compiler.textPrefilters(try CompiledFilter.compile(#"nickName eq "x""#, for: f.service.definition(.user)).filter)
        #expect(
            try await f.store.exactList(tenantID: "tid-acme", query: StoreQuery(kind: .user, conditions: nick.map { .text($0) })) == nil)

        // One title only Unicode folding can decide: the store declines and the service evaluates.
        try await create("e7@example.com", title: "D\u{00CF}RECTOR", family: "Fam1")
        #expect(try await f.store.exactList(tenantID: "tid-acme", query: query) == nil)
        try await checkAll(alsoEndingInTOR: ["e7"])
        #expect(try await search(#"title co "rector""#).users.contains("e7"))
    }

    @Test("migration v5 fills the text columns of existing users exactly as writes do (NUL and non-ASCII undecided)")
    func textColumnsBackfill() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let values = ["Director", "D\u{00EF}rector", "\u{212A}elvin", "", "  Mixed Case  ", "*"]
        for (i, value) in values.enumerated() {
            var body = JSONObject()
            body["schemas"] = .array([.string(SchemaURN.user)])
            body["userName"] = .string("b\(i)@example.com")
            if i != 3 { body["title"] = .string(value) }
            body["name"] = .object(JSONObject([("familyName", .string(value)), ("givenName", .string(value.uppercased()))]))
            body["displayName"] = .string(value)
            body[SchemaURN.enterpriseUser] = .object(JSONObject([("department", .string(value)), ("employeeNumber", .string("E\(i)"))]))
            _ = try await f.service.create(f.request, kind: .user, body: .object(body))
        }
        _ = try await f.group("Not a user", members: [])
        let names = TextIndexes.columns.map(\.name).joined(separator: ", ")
        let read = { @Sendable (db: Database) throws -> [[String?]] in
            try Row.fetchAll(db, sql: "SELECT \(names) FROM resources ORDER BY seq").map { row in
                (0..<TextIndexes.columns.count).map { row[$0] as String? }
            }
        }
        let written = try await f.store.pool.read(read)
        #expect(
            written.map { $0[0] } == [
                "director", TextIndexes.undecided, TextIndexes.undecided, nil, "  mixed case  ", "*", nil,
            ])
        // Values written before NUL was refused (or by another writer) are undecided too.
        #expect(TextIndexes.key(.string("Director\u{0000}X")) == TextIndexes.undecided)
        #expect(written.last == Array(repeating: nil, count: TextIndexes.columns.count), "a group has no text columns")
        // The migration's fill, on rows whose columns are empty, gives the same values.
        try await f.store.pool.write { db in
            try db.execute(sql: "UPDATE resources SET " + TextIndexes.columns.map { "\($0.name) = NULL" }.joined(separator: ", "))
            try TextIndexes.fill(db)
        }
        #expect(try await f.store.pool.read(read) == written)
    }

    /// A bulk request of `count` user creations.
    static func bulkCreations(_ count: Int, prefix: String) throws -> JSONValue {
        let operations = (0..<count).map { i in
            #"{"method":"POST","path":"/Users","bulkId":"b\#(i)","data":{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(prefix)\#(i)@example.com"}}"#
        }
        return try JSONParser().parse(
            Array(
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[\#(operations.joined(separator: ","))]}"#
                    .utf8))
    }

    @Test("a bulk request near its deadline stops between operations and reports which ran (defect 6)")
    func bulkAtDeadline() async throws {
        let f = try await Fixture { $0.bulkMaxOperations = 3000 }
        defer { f.cleanUp() }
        // Inside the margin already: nothing runs, every operation says so.
        var late = f.request
        late.deadline = ContinuousClock.now.advanced(by: .milliseconds(500))
        let none = try await f.service.bulk(late, body: try Self.bulkCreations(3, prefix: "late"))
        let noneResults = none["Operations"]?.arrayValue ?? []
        #expect(noneResults.count == 3 && noneResults.allSatisfy { $0["status"]?.stringValue == "503" })
        #expect(noneResults.map { $0["bulkId"]?.stringValue } == ["b0", "b1", "b2"])
        #expect(noneResults.first?["response"]?["detail"]?.stringValue?.contains("send this operation again") == true)
        #expect(try await f.ids(#"userName sw "late""#).isEmpty)

        // 3,000 creations against 200 ms past the margin: a prefix runs, the rest is marked.
        var soon = f.request
        soon.deadline = ContinuousClock.now.advanced(by: SCIMService.bulkDeadlineMargin + .milliseconds(200))
        let out = try await f.service.bulk(soon, body: try Self.bulkCreations(3000, prefix: "soon"))
        let statuses = (out["Operations"]?.arrayValue ?? []).compactMap { $0["status"]?.stringValue }
        #expect(statuses.count == 3000)
        let ran = statuses.prefix { $0 == "201" }.count
        #expect(ran < 3000, "3,000 creations finished within 200 ms")
        #expect(statuses.dropFirst(ran).allSatisfy { $0 == "503" })
        var p = ListParameters()
        p.filter = #"userName sw "soon""#
        p.count = 0
        let stored = try await f.service.list(f.request, kind: .user, parameters: p)
        #expect(stored["totalResults"]?.numberValue?.integer == Int64(ran))
    }

    @Test("every connection runs synchronous = FULL (defect 8)")
    func synchronousFull() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        #expect(try await f.store.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
        #expect(try await f.store.pool.write { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") } == 2)
    }

    @Test("the database, -wal and -shm files are the owner's only (defect 3)")
    func fileModes() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        _ = try await f.user("ada@example.com")
        for suffix in ["", "-wal", "-shm"] {
            let path = f.store.path + suffix
            let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(path) has mode \(String(mode ?? 0, radix: 8))")
        }
        // A file an older version made world-readable is tightened when opened.
        let old = f.directory.appendingPathComponent("old.sqlite").path
        #expect(FileManager.default.createFile(atPath: old, contents: nil, attributes: [.posixPermissions: 0o644]))
        _ = try SQLiteDirectoryStore(path: old)
        #expect(try FileManager.default.attributesOfItem(atPath: old)[.posixPermissions] as? Int == 0o600)
    }

    @Test("upgrading drops passwords an older version kept in the clear (defect 3) and re-keys names in NFC (defect 2)")
    func migrationDropsPlaintextPasswords() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-migrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("zscim.sqlite").path
        do {
            let pool = try DatabasePool(path: path)
            try SQLiteSchema.migrator.migrate(pool, upTo: "v2: sync rows (dirty marks + links), audit, connections, reconciler state")
            try await pool.write { db in
                try db.execute(
                    sql: "INSERT INTO tenants (id, name, profile, created) VALUES ('t', 'acme', 'lenient', '2026-01-01T00:00:00Z')")
                try db.execute(
                    sql: """
                        INSERT INTO resources (tenant_id, kind, id, version, created, last_modified, last_modified_ms, user_name_key, attributes)
                        VALUES ('t', 'User', 'u1', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0, 'ada',
                                '{"userName":"ada","password":"Plain-Text-1"}')
                        """)
                // Keyed before keys were NFC: a decomposed name and e-mail.
                try db.execute(
                    sql: """
                        INSERT INTO resources (tenant_id, kind, id, version, created, last_modified, last_modified_ms, user_name_key, attributes)
                        VALUES ('t', 'User', 'u2', 1, '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z', 0, ?, ?)
                        """,
                    arguments: ["jose\u{0301}@x.com", #"{"userName":"jose\#u{0301}@x.com"}"#])
                try db.execute(
                    sql: "INSERT INTO emails (resource_seq, tenant_id, value_key) VALUES (last_insert_rowid(), 't', ?)",
                    arguments: ["rene\u{0301}@x.com"])
            }
        }
        let store = try SQLiteDirectoryStore(path: path)
        let user = try await store.resource(tenantID: "t", kind: .user, id: "u1")
        #expect(user?.attributes["userName"]?.stringValue == "ada")
        #expect(user?.attributes["password"] == nil)
        for condition in [IndexedCondition.userNameEquals("jos\u{00E9}@x.com"), .emailEquals("ren\u{00E9}@x.com")] {
            let found = try await store.list(tenantID: "t", query: StoreQuery(kind: .user, conditions: [condition]))
            #expect(found.resources.map(\.resource.id) == ["u2"], "\(condition) after re-keying")
        }
    }

    /// `count` users with a `title` each (none for every fifth), in creation order.
    static func titled(_ f: Fixture, count: Int) async throws -> [(id: String, title: String?)] {
        var made: [(id: String, title: String?)] = []
        for i in 0..<count {
            let title: String? = i % 5 == 4 ? nil : ["Engineer", "analyst", "Manager", "Director"][(i * 7) % 4] + " \((i * 13) % 6)"
            var body = #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"t\#(i)@example.com""#
            if let title { body += #","title":"\#(title)""# }
            let id = try await f.service.create(f.request, kind: .user, body: try JSONParser().parse(Array((body + "}").utf8))).body["id"]!
                .stringValue!
            made.append((id, title))
        }
        return made
    }

    @Test("a streamed scan pages an unindexed sort exactly like sorting everything (defect 6)", arguments: ["ascending", "descending"])
    func streamedSortedPaging(_ order: String) async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let made = try await Self.titled(f, count: 37)
        // The reference order: titles case-insensitively, missing last either way, ties by creation.
        let indexed = Array(made.enumerated())
        let expected = indexed.sorted { a, b in
            switch (a.element.title?.lowercased(), b.element.title?.lowercased()) {
            case (nil, nil): return a.offset < b.offset
            case (nil, _): return false
            case (_, nil): return true
            case (let x?, let y?): return x == y ? a.offset < b.offset : (order == "ascending" ? x < y : y < x)
            }
        }.map(\.element.id)
        for filter in [nil, "userName sw \"t\""] {
            var seen: [String] = []
            for start in stride(from: 1, through: 37, by: 5) {
                var p = ListParameters()
                p.sortBy = "title"
                p.sortOrder = order
                p.startIndex = start
                p.count = 5
                p.filter = filter
                let out = try await f.service.list(f.request, kind: .user, parameters: p)
                #expect(out["totalResults"]?.numberValue?.integer == 37)
                seen += (out["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            }
            #expect(seen == expected, "filter \(filter ?? "none")")
            // Cursor paging over the same sorted scan gives the same order.
            var cursor = ""
            var viaCursor: [String] = []
            while true {
                var p = ListParameters()
                p.sortBy = "title"
                p.sortOrder = order
                p.count = 4
                p.filter = filter
                p.cursor = cursor
                let out = try await f.service.list(f.request, kind: .user, parameters: p)
                viaCursor += (out["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
                guard let next = out["nextCursor"]?.stringValue else { break }
                cursor = next
            }
            #expect(viaCursor == expected, "cursor, filter \(filter ?? "none")")
        }
    }

    @Test("a sorted scan's deep page keeps sort keys and ids while it streams, and resources only for its first page (defect 6)")
    func sortedWindowKeepsKeys() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let spec = try SortSpec(definition: f.service.definition(.user), sortBy: "title", sortOrder: "descending")
        func offerAll(_ window: inout ScanWindow) {
            let now = SCIMDateTime.now()
            for i in 0..<1000 {
                var attributes = JSONObject()
                attributes["userName"] = .string("u\(i)")
                attributes["title"] = .string(String(format: "t%04d", i))
                let resource = StoredResource(
                    kind: .user, id: "id\(i)", version: 1, created: now, lastModified: now, attributes: attributes)
                window.offer(SequencedResource(sequence: Int64(i), resource: resource), groups: [], rendered: attributes)
            }
        }
        var deep = ScanWindow(mode: .sorted(spec, offset: 900), size: 10)
        offerAll(&deep)
        let page = deep.page()
        #expect(deep.total == 1000)
        #expect(page.map(\.id) == (90..<100).reversed().map { "id\($0)" })
        #expect(page.allSatisfy { $0.sequenced == nil && $0.groups == nil })
        var first = ScanWindow(mode: .sorted(spec, offset: 0), size: 3)
        offerAll(&first)
        #expect(first.page().map { $0.sequenced?.resource.id } == ["id999", "id998", "id997"])
    }

    @Test("an unindexed filter pages in creation order with an exact total, by index and by cursor (defect 6)")
    func streamedUnsortedPaging() async throws {
        let f = try await Fixture()
        defer { f.cleanUp() }
        let made = try await Self.titled(f, count: 23)
        let expected = made.filter { $0.title?.lowercased().hasPrefix("engineer") == true }.map(\.id)
        var byIndex: [String] = []
        for start in stride(from: 1, through: 23, by: 3) {
            var p = ListParameters()
            p.filter = #"title sw "engineer""#
            p.startIndex = start
            p.count = 3
            let out = try await f.service.list(f.request, kind: .user, parameters: p)
            #expect(out["totalResults"]?.numberValue?.integer.map(Int.init) == expected.count)
            byIndex += (out["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        }
        #expect(byIndex == expected)
        var cursor = ""
        var viaCursor: [String] = []
        while true {
            var p = ListParameters()
            p.filter = #"title sw "engineer""#
            p.count = 2
            p.cursor = cursor
            let out = try await f.service.list(f.request, kind: .user, parameters: p)
            viaCursor += (out["Resources"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
            guard let next = out["nextCursor"]?.stringValue else { break }
            cursor = next
        }
        #expect(viaCursor == expected)
    }

    @Test("a full scan past the request's deadline, or beyond the tenant's scan slots, is a 503 with Retry-After (defect 6)")
    func scanLimits() async throws {
        let f = try await Fixture { $0.maxConcurrentScansPerTenant = 1 }
        defer { f.cleanUp() }
        _ = try await Self.titled(f, count: 3)
        var p = ListParameters()
        // An `or` the store cannot decide alone (`title co "a"` alone it answers from its index).
        p.filter = #"title co "a" or title co "b""#
        var late = f.request
        late.deadline = .now - .seconds(1)
        do {
            _ = try await f.service.list(late, kind: .user, parameters: p)
            Issue.record("a scan past its deadline answered")
        } catch {
            #expect(error.status == 503 && error.retryAfter != nil)
        }
        #expect(f.service.scanSlots.acquire(f.request.tenant.id))
        do {
            _ = try await f.service.list(f.request, kind: .user, parameters: p)
            Issue.record("a scan beyond the tenant's slots answered")
        } catch {
            #expect(error.status == 503 && error.retryAfter != nil)
        }
        // An indexed lookup needs no slot; another tenant's scans have their own.
        var indexed = ListParameters()
        indexed.filter = #"userName eq "t1@example.com" and title pr"#
        #expect(try await f.service.list(f.request, kind: .user, parameters: indexed)["totalResults"]?.numberValue?.integer == 1)
        f.service.scanSlots.release(f.request.tenant.id)
        #expect(try await f.service.list(f.request, kind: .user, parameters: p)["totalResults"] != nil)
        // The slot came back after the scan.
        #expect(f.service.scanSlots.acquire(f.request.tenant.id))
        f.service.scanSlots.release(f.request.tenant.id)
    }

    @Test("one over-long string value is refused on create and PATCH, naming the attribute (defect 7's cap, configured)")
    func stringCap() async throws {
        let f = try await Fixture { $0.maxStringBytes = 100 }
        defer { f.cleanUp() }
        let long = String(repeating: "x", count: 101)
        let body = try JSONParser().parse(
            Array(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"a@x.com","title":"\#(long)"}"#.utf8))
        do {
            _ = try await f.service.create(f.request, kind: .user, body: body)
            Issue.record("a 101-byte title was accepted")
        } catch {
            #expect(error.status == 400 && error.scimType == .invalidValue && error.detail.contains("title"))
        }
        let id = try await f.user("a@x.com")
        let patch = try JSONParser().parse(
            Array(
                #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"title","value":"\#(long)"}]}"#
                    .utf8))
        do {
            _ = try await f.service.patch(f.request, kind: .user, id: id, body: patch)
            Issue.record("a 101-byte title was patched in")
        } catch {
            #expect(error.status == 400 && error.scimType == .invalidValue)
        }
        #expect(try await f.store.resource(tenantID: "tid-acme", kind: .user, id: id)?.attributes["title"] == nil)
        // A NUL in any string value is refused, at the top level and in sub-attributes.
        for body in [
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"alice\u0000x@x.com"}"#,
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"b@x.com","name":{"familyName":"a\u0000"}}"#,
        ] {
            let parsed = try JSONParser().parse(Array(body.utf8))
            do {
                _ = try await f.service.create(f.request, kind: .user, body: parsed)
                Issue.record("a value with NUL was accepted: \(body)")
            } catch {
                #expect(error.status == 400 && error.scimType == .invalidValue && error.detail.contains("U+0000"), "\(error)")
            }
        }
    }
}
