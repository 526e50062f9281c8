import Benchmark
import Foundation
import SCIMCore

/// Core engine figures for the issue notes: filter parsing, full scans of 100,000 in-memory
/// users, and a 50-member PATCH. Run with `swift package benchmark --target SCIMCoreBenchmarks`.
let benchmarks: @Sendable () -> Void = {
    let schemasPath = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("schemas").path
    let registry: SchemaRegistry
    do { registry = try SchemaRegistry.load(directory: schemasPath) } catch { fatalError("\(error)") }
    let user = registry.definition(for: "User")!
    let group = registry.definition(for: "Group")!

    let entraLookup = #"userName eq "Test_User_ab6490ee@contoso.com""#
    let tenClauses = """
        userName sw "a" and active eq true and (title co "eng" or title co "ops") and \
        emails[type eq "work" and value ew "@example.com"] and not (displayName eq "x") and \
        meta.lastModified gt "2024-01-01T00:00:00Z" and externalId pr and \
        urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Sales" or name.familyName eq "Jensen"
        """
    let complex = """
        (active eq true and emails[type eq "work" and value co "@corp"]) or \
        (title sw "Senior" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "Dept 7") or \
        meta.lastModified ge "2026-06-01T00:00:00Z"
        """

    let users: [JSONObject] = (0..<100_000).map { i in
        let text = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
             "id":"\(UUID().uuidString)","externalId":"ext-\(i)","userName":"user\(i)@example.com","active":\(i % 10 != 0),
             "displayName":"User \(i)","title":"\(i % 7 == 0 ? "Senior Engineer" : "Engineer")",
             "name":{"givenName":"Given\(i)","familyName":"Family\(i % 1000)"},
             "emails":[{"value":"user\(i)@\(i % 3 == 0 ? "corp" : "example").com","type":"work","primary":true},
                       {"value":"home\(i)@mail.test","type":"home"}],
             "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"Dept \(i % 50)","employeeNumber":"\(i)"},
             "meta":{"resourceType":"User","created":"2025-01-01T00:00:00Z","lastModified":"2026-0\(1 + i % 9)-15T10:00:00Z"}}
            """
        guard case .object(let o) = try! JSONParser.parse(text) else { fatalError() }
        return o
    }

    Benchmark.defaultConfiguration = .init(metrics: [.wallClock, .mallocCountTotal, .throughput], maxDuration: .seconds(3))

    Benchmark("Parse Entra userName eq filter") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FilterParser.parse(entraLookup)) }
    }

    Benchmark("Parse 10-clause filter") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try FilterParser.parse(tenClauses)) }
    }

    Benchmark("Parse+compile 10-clause filter") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try CompiledFilter.compile(tenClauses, for: user)) }
    }

    let lookup = try! CompiledFilter.compile(#"userName eq "USER99999@example.com""#, for: user)
    Benchmark("Scan 100k users: userName eq", configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5))) {
        benchmark in
        for _ in benchmark.scaledIterations {
            let n = lookup.matchingIndices(in: users)
            precondition(n.count == 1)
            blackHole(n)
        }
    }

    let complexFilter = try! CompiledFilter.compile(complex, for: user)
    Benchmark(
        "Scan 100k users: complex and/or/value-path",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal], maxDuration: .seconds(5))
    ) {
        benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(complexFilter.matchingIndices(in: users))
        }
    }

    let groupResource: JSONObject = {
        guard
            case .object(let o) = try! JSONParser.parse(
                #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g1","displayName":"Engineering","members":[]}"#)
        else { fatalError() }
        return o
    }()
    let addFifty: JSONValue = {
        let members = (0..<50).map { #"{"value":"member-\#($0)","display":"Member \#($0)"}"# }.joined(separator: ",")
        return try! JSONParser.parse(
            #"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[\#(members)]}]}"#
        )
    }()
    let groupEngine = PatchEngine(definition: group, profile: .lenient)
    Benchmark("PATCH add 50 members") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try groupEngine.apply(body: addFifty, to: groupResource)) }
    }
}
