import Foundation
import SCIMCore
import Testing

/// Runs the golden corpus in `conformance/filter` and `conformance/patch` (format in
/// `conformance/README.md`). Each file is one test; a failure names the case.
@Suite("Golden corpus")
struct GoldenCorpusTests {
    static let filterFiles = TestSupport.files(in: "filter").map(\.lastPathComponent)
    static let patchFiles = TestSupport.files(in: "patch").map(\.lastPathComponent)

    static func fixtures(_ resourceType: String) throws -> [JSONObject] {
        let name = resourceType.lowercased() == "group" ? "groups.json" : "users.json"
        let value = try TestSupport.readJSON(TestSupport.conformanceDirectory.appendingPathComponent("fixtures/\(name)"))
        return (value.arrayValue ?? []).compactMap(\.objectValue)
    }

    static func profile(_ case: JSONObject, default fallback: CompatibilityProfile) -> CompatibilityProfile {
        guard let name = `case`["profile"]?.stringValue else { return fallback }
        guard let p = CompatibilityProfile.named(name) else { fatalError("unknown profile \(name)") }
        return p
    }

    @Test("the corpus is as large as the issue asks")
    func corpusSize() throws {
        func count(_ folder: String) throws -> Int {
            try TestSupport.files(in: folder).reduce(0) { sum, url in
                sum + ((try TestSupport.readJSON(url))["cases"]?.arrayValue?.count ?? 0)
            }
        }
        #expect(try count("filter") >= 150)
        #expect(try count("patch") >= 100)
    }

    @Test("filter cases", arguments: filterFiles)
    func filterFile(_ file: String) throws {
        let doc = try TestSupport.readJSON(TestSupport.conformanceDirectory.appendingPathComponent("filter/\(file)"))
        let resourceType = doc["resourceType"]?.stringValue ?? "User"
        let definition = try #require(TestSupport.registry.definition(for: resourceType))
        let resources = try Self.fixtures(resourceType)
        let cases = try #require(doc["cases"]?.arrayValue)
        for raw in cases {
            let c = try #require(raw.objectValue)
            let name = c["name"]?.stringValue ?? "?"
            let text = try #require(c["filter"]?.stringValue, "\(name): no filter")
            let profile = Self.profile(c, default: .strict)
            let outcome: Result<CompiledFilter, SCIMError>
            do {
                let parsed = try FilterParser(options: profile.filterOptions).parse(text)
                outcome = .success(try FilterCompiler(definition: definition, profile: profile).compile(parsed))
            } catch {
                outcome = .failure(error)
            }
            if let expectedError = c["error"]?.objectValue {
                guard case .failure(let error) = outcome else {
                    Issue.record("\(file) / \(name): expected \(expectedError), but \(text) parsed")
                    continue
                }
                #expect(error.scimType?.rawValue == expectedError["scimType"]?.stringValue, "\(file) / \(name): \(error)")
                #expect(error.status == expectedError["status"]?.numberValue?.integer.map(Int.init) ?? 400, "\(file) / \(name)")
                if let fragment = expectedError["detailContains"]?.stringValue {
                    #expect(error.detail.contains(fragment), "\(file) / \(name): \(error.detail)")
                }
                continue
            }
            let compiled: CompiledFilter
            switch outcome {
            case .failure(let error):
                Issue.record("\(file) / \(name): \(text) failed: \(error)")
                continue
            case .success(let c): compiled = c
            }
            if let canonical = c["canonical"]?.stringValue {
                #expect(compiled.filter.description == canonical, "\(file) / \(name)")
                // The printed form parses back to the same tree.
                let reparsed = try? FilterParser(options: profile.filterOptions).parse(compiled.filter.description)
                #expect(reparsed == compiled.filter, "\(file) / \(name): canonical text does not round-trip")
            }
            if let matches = c["matches"]?.arrayValue {
                let expected = Set(matches.compactMap(\.stringValue))
                let actual = Set(resources.filter { compiled.matches($0) }.compactMap { $0["id"]?.stringValue })
                #expect(actual == expected, "\(file) / \(name): \(text) matched \(actual.sorted()), expected \(expected.sorted())")
            }
        }
    }

    @Test("PATCH cases", arguments: patchFiles)
    func patchFile(_ file: String) throws {
        let doc = try TestSupport.readJSON(TestSupport.conformanceDirectory.appendingPathComponent("patch/\(file)"))
        let resourceType = doc["resourceType"]?.stringValue ?? "User"
        let definition = try #require(TestSupport.registry.definition(for: resourceType))
        let cases = try #require(doc["cases"]?.arrayValue)
        for raw in cases {
            let c = try #require(raw.objectValue)
            let name = c["name"]?.stringValue ?? "?"
            let profile = Self.profile(c, default: .lenient)
            let before = try #require(c["before"]?.objectValue, "\(file) / \(name): no before")
            let body: JSONValue
            if let request = c["request"] {
                body = request
            } else {
                let ops = try #require(c["operations"], "\(file) / \(name): no operations")
                body = .object(JSONObject([("schemas", .array([.string(SchemaURN.patchOp)])), ("Operations", ops)]))
            }
            let engine = PatchEngine(definition: definition, profile: profile)
            let outcome: Result<JSONObject, SCIMError>
            do { outcome = .success(try engine.apply(body: body, to: before)) } catch { outcome = .failure(error) }
            if let expectedError = c["error"]?.objectValue {
                switch outcome {
                case .success(let after):
                    Issue.record("\(file) / \(name): expected \(expectedError), got \(JSONValue.object(after))")
                case .failure(let error):
                    #expect(error.scimType?.rawValue == expectedError["scimType"]?.stringValue, "\(file) / \(name): \(error)")
                    #expect(error.status == expectedError["status"]?.numberValue?.integer.map(Int.init) ?? 400, "\(file) / \(name)")
                }
                continue
            }
            let expected = try #require(c["after"]?.objectValue, "\(file) / \(name): no after or error")
            switch outcome {
            case .failure(let error):
                Issue.record("\(file) / \(name): failed with \(error)")
            case .success(let after):
                #expect(
                    after == expected, "\(file) / \(name):\n got      \(JSONValue.object(after))\n expected \(JSONValue.object(expected))")
            }
        }
    }
}
