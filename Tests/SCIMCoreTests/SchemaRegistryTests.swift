import Foundation
import SCIMCore
import Testing

@Suite("Schema registry")
struct SchemaRegistryTests {
    @Test("every file in schemas/ loads without an error diagnostic")
    func repositorySchemasLoad() throws {
        let registry = try SchemaRegistry.load(directory: TestSupport.schemasDirectory)
        #expect(!registry.hasErrors, "\(registry.diagnostics)")
        #expect(registry.schema(id: SchemaURN.user) != nil)
        #expect(registry.schema(id: SchemaURN.group) != nil)
        #expect(registry.schema(id: SchemaURN.enterpriseUser) != nil)
        #expect(registry.resourceType(named: "User")?.endpoint == "/Users")
        #expect(registry.resourceType(named: "Group")?.endpoint == "/Groups")
        #expect(registry.serviceProviderConfig != nil)
        let user = try #require(registry.definition(for: "User"))
        #expect(user.extensions.map(\.schema.id).contains(SchemaURN.enterpriseUser))
    }

    @Test("RFC 7643 characteristics are read from the files, not from code")
    func characteristics() throws {
        let user = TestSupport.user
        let userName = try #require(user.core.attribute(named: "USERNAME"))
        #expect(userName.required && !userName.caseExact && userName.uniqueness == .server)
        let password = try #require(user.core.attribute(named: "password"))
        #expect(password.returned == .never && password.mutability == .writeOnly)
        let emails = try #require(user.core.attribute(named: "emails"))
        #expect(emails.multiValued && emails.type == .complex)
        #expect(emails.subAttribute(named: "type")?.canonicalValues == ["work", "home", "other"])
        let groups = try #require(user.core.attribute(named: "groups"))
        #expect(groups.mutability == .readOnly)
        let members = try #require(TestSupport.group.core.attribute(named: "members"))
        #expect(members.isReferenceList)
        let manager = try #require(
            user.resolve(AttributePath.parse("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value")!))
        #expect(manager.isExtension && manager.target.name == "value")
    }

    func loadDirectory(_ files: [String: String]) throws -> Result<SchemaRegistry, SchemaLoadError> {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-schemas-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try Data(text.utf8).write(to: dir.appendingPathComponent(name))
        }
        do { return .success(try SchemaRegistry.load(directory: dir.path)) } catch { return .failure(error) }
    }

    static let goodAttribute = """
        {"name":"badge","type":"string","multiValued":false,"description":"","required":false,"caseExact":false,
         "mutability":"readWrite","returned":"default","uniqueness":"none"}
        """

    @Test("a missing or empty schema directory is an error that names it")
    func missingOrEmptyDirectory() throws {
        do {
            _ = try SchemaRegistry.load(directory: "/nonexistent/zscim-schemas")
            Issue.record("a missing directory loaded")
        } catch {
            #expect(error.description.contains("/nonexistent/zscim-schemas") && error.description.contains("no such directory"))
        }
        guard case .failure(let error) = try loadDirectory([:]) else { Issue.record("an empty directory loaded"); return }
        #expect(error.description.contains("no schema documents"))
    }

    @Test("a file that is not JSON fails with its name, line and column")
    func brokenJSON() throws {
        let result = try loadDirectory(["broken.json": "{\n  \"id\": \"urn:x\",\n  \"attributes\": [,]\n}"])
        guard case .failure(let error) = result else { Issue.record("loaded a broken file"); return }
        let message = error.description
        #expect(message.contains("broken.json"))
        #expect(message.contains("line 3"))
    }

    @Test("a bad characteristic value is an error naming the attribute path")
    func badCharacteristic() throws {
        let doc = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"urn:example:Badge","name":"Badge","attributes":[
              {"name":"badge","type":"strng","multiValued":false,"description":"","required":false,"caseExact":false,
               "mutability":"readWrite","returned":"default","uniqueness":"none"}]}
            """
        let result = try loadDirectory(["badge.json": doc])
        guard case .failure(let error) = result else { Issue.record("loaded"); return }
        #expect(error.description.contains("badge.json"))
        #expect(error.description.contains("urn:example:Badge:badge"))
        #expect(error.description.contains("\"type\""))
    }

    @Test("a complex attribute without subAttributes is an error")
    func complexWithoutSubs() throws {
        let doc = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"urn:example:C","name":"C","attributes":[
              {"name":"box","type":"complex","multiValued":false,"description":"","required":false,
               "mutability":"readWrite","returned":"default","uniqueness":"none"}]}
            """
        guard case .failure(let error) = try loadDirectory(["c.json": doc]) else { Issue.record("loaded"); return }
        #expect(error.description.contains("urn:example:C:box"))
        #expect(error.description.contains("subAttributes"))
    }

    @Test("an unknown characteristic is only a warning, and the schema loads")
    func unknownCharacteristicWarns() throws {
        let doc = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"urn:example:W","name":"W","attributes":[
              {"name":"badge","type":"string","multiValued":false,"description":"","required":false,"caseExact":false,
               "mutability":"readWrite","returned":"default","uniqueness":"none","colour":"blue"}]}
            """
        guard case .success(let registry) = try loadDirectory(["w.json": doc]) else { Issue.record("failed"); return }
        #expect(registry.schema(id: "urn:example:W") != nil)
        let warning = try #require(registry.diagnostics.first)
        #expect(warning.severity == .warning)
        #expect(warning.description.contains("colour"))
        #expect(warning.path == "urn:example:W:badge")
    }

    @Test("a resource type naming a schema that is not loaded is an error")
    func danglingResourceType() throws {
        let doc = """
            {"schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],"id":"Device","name":"Device",
             "endpoint":"/Devices","schema":"urn:example:Device"}
            """
        guard case .failure(let error) = try loadDirectory(["device.json": doc]) else { Issue.record("loaded"); return }
        #expect(error.description.contains("urn:example:Device"))
    }

    @Test("an operator's extension schema joins a resource type")
    func operatorExtension() throws {
        var registry = SchemaRegistry()
        registry.add(
            document: TestSupport.json(
                """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"urn:example:core:Thing","name":"Thing",
                 "attributes":[{"name":"label","type":"string","multiValued":false,"description":"","required":true,"caseExact":false,
                   "mutability":"readWrite","returned":"default","uniqueness":"none"}]}
                """), source: "thing.json")
        registry.add(
            document: TestSupport.json(
                """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],"id":"urn:example:ext:Badge","name":"Badge",
                 "attributes":[\(Self.goodAttribute)]}
                """), source: "badge.json")
        registry.add(
            document: TestSupport.json(
                """
                {"schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],"id":"Thing","name":"Thing","endpoint":"/Things",
                 "schema":"urn:example:core:Thing","schemaExtensions":[{"schema":"urn:example:ext:Badge","required":false}]}
                """), source: "thing-type.json")
        registry.finish()
        #expect(!registry.hasErrors, "\(registry.diagnostics)")
        let thing = try #require(registry.definition(for: "Thing"))
        let filter = try CompiledFilter.compile("urn:example:ext:Badge:badge eq \"GOLD\"", for: thing)
        #expect(filter.matches(TestSupport.object(#"{"label":"x","urn:example:ext:Badge":{"badge":"gold"}}"#)))
    }
}
