import Foundation
import SAMLMetadata
import Testing

/// `zscim metadata inspect` end to end: the built binary, run as a process.
@Suite("zscim metadata inspect (executable)")
struct CommandLineTests {
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The `zscim` binary next to the test bundle in the build products directory.
    static func binary() throws -> URL {
        let candidates = [
            Bundle.main.bundleURL.appendingPathComponent("zscim"),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("zscim"),
            TestFiles.repoRoot.appendingPathComponent(".build/debug/zscim"),
        ]
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0.path) }) else {
            throw CocoaError(
                .fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "zscim is not built; run `swift build --build-tests` first"])
        }
        return found
    }

    static func run(_ arguments: [String]) throws -> Run {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = TestFiles.repoRoot
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read before waiting so a large report cannot fill the pipe and block the child.
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    @Test("a sample prints entities, endpoints, certificates with days left, and the inference with evidence")
    func inspectSample() throws {
        let run = try Self.run(["metadata", "inspect", "schemas/saml/zia-sp-metadata.xml"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        for expected in [
            "schemas/saml/zia-sp-metadata.xml: SAML 2.0 metadata, EntityDescriptor, 1 entity",
            "Entity https://login.zscalertwo.net/sfc_sso/45193562",
            "ACS [0] default HTTP-POST https://login.zscalertwo.net:443/sfc_sso",
            "subject: CN=login.zscalertwo.net,OU=ZIA SP (synthesised),O=zscim test fixtures,C=US",
            "days left)",
            "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "ZIA cloud: zscalertwo (zscalertwo.net)",
            "ZIA org id: 45193562",
            "ZIA API base: https://zsapi.zscalertwo.net/api/v1 [derived]",
            "matches login.<cloud>/sfc_sso/<orgId> (reference §1.3, §10.5 step 2)",
            "Not inferred",
            "ZPA cloud, ZPA IdP id, ZPA API base, ZPA SCIM base: no ZPA URL",
        ] {
            #expect(run.stdout.contains(expected), "missing: \(expected)")
        }
    }

    @Test("--json is machine-readable and carries the inference and days left")
    func inspectJSON() throws {
        let run = try Self.run(["metadata", "inspect", "--json", "schemas/saml/zpa-sp-metadata.xml"])
        #expect(run.status == 0, "\(run.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let entities = try #require(json["entities"] as? [[String: Any]])
        let zscaler = try #require(entities.first?["zscaler"] as? [String: Any])
        #expect(
            (zscaler["zpaSCIMBase"] as? [String: Any])?["value"] as? String
                == "https://scim1.private.zscaler.com/scim/1/216196257331291347/v2")
        #expect((zscaler["zpaIdPID"] as? [String: Any])?["certainty"] as? String == "fromMetadata")
        let entity = try #require(entities.first?["entity"] as? [String: Any])
        let role = try #require((entity["roles"] as? [[String: Any]])?.first)
        let certificate = try #require(((role["keys"] as? [[String: Any]])?.first?["certificates"] as? [[String: Any]])?.first)
        #expect(certificate["daysLeft"] is Int)
        #expect(certificate["notAfter"] as? String == "2030-09-15T12:00:00Z")
        #expect(json["libxml2Version"] as? String != nil)
    }

    @Test(
        "a hostile or broken file prints one line saying what and where, and exits 1",
        arguments: [
            ("Tests/SAMLMetadataTests/Fixtures/xxe-file.xml", "doctypeRefused: line 3: DOCTYPE declaration"),
            ("Tests/SAMLMetadataTests/Fixtures/billion-laughs.xml", "doctypeRefused: line 3:"),
            ("Tests/SAMLMetadataTests/Fixtures/truncated.xml", "malformedXML: line 14, column"),
            ("Tests/SAMLMetadataTests/Fixtures/not-saml.xml", "notSAMLMetadata: line 6:"),
            ("no/such/file.xml", "unreadable: no such file"),
        ])
    func inspectBadFile(_ path: String, _ expected: String) throws {
        let run = try Self.run(["metadata", "inspect", path])
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(run.stderr)")
        #expect(run.stderr.hasPrefix("zscim: \(path): \(expected)"), "\(run.stderr)")
        let passwd = (try? String(contentsOf: URL(fileURLWithPath: "/etc/passwd"), encoding: .utf8))?.split(separator: "\n").first
        if let passwd { #expect(!run.stderr.contains(passwd)) }
    }
}
