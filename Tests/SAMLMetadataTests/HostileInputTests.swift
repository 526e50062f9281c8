import Foundation
import SAMLMetadata
import Testing

/// Hostile and malformed documents: each is refused with a clear error and its line — never a
/// crash, a hang, a network connection or a file read.
@Suite("Hostile and malformed metadata")
struct HostileInputTests {
    /// A line of the real /etc/passwd, which must never show up in anything the parser returns.
    private static func passwdLine() throws -> String {
        let passwd = try String(contentsOf: URL(fileURLWithPath: "/etc/passwd"), encoding: .utf8)
        return try #require(passwd.split(separator: "\n").first.map(String.init))
    }

    @Test("XXE to file:///etc/passwd is refused at the DOCTYPE; the file's content appears nowhere")
    func xxeFile() throws {
        let text = try TestFiles.text(TestFiles.fixture("xxe-file.xml"))
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == .doctypeRefused)
        #expect(error.line == TestFiles.line(of: "<!DOCTYPE", in: text))
        #expect(error.message.contains("DOCTYPE"))
        let secret = try Self.passwdLine()
        #expect(!error.description.contains(secret))
        #expect(!String(describing: error).contains("root:"))
    }

    @Test(
        "XXE, parameter entities and external DTDs on a loopback server are refused and never fetched",
        arguments: ["xxe-http.xml", "xxe-parameter-entity.xml", "dtd-reference.xml"])
    func noNetwork(_ name: String) throws {
        let listener = try LoopbackListener()
        let text = try TestFiles.text(TestFiles.fixture(name)).replacingOccurrences(of: "PORT", with: String(listener.port))
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == .doctypeRefused)
        #expect(error.line == TestFiles.line(of: "<!DOCTYPE", in: text))
        // The parse is synchronous, so any fetch would already have connected (the kernel
        // completes the handshake into the listen backlog without our accept()).
        #expect(listener.pendingConnections() == 0)
        // The listener itself works: a real connection is seen (so the zero above means something).
        try listener.connectOnce()
        #expect(listener.pendingConnections() == 1)
    }

    /// The Okta sample's certificate with its RSA key replaced by `SEQUENCE { INTEGER -2, INTEGER 1 }`
    /// (a negative, even modulus and exponent 1): well-formed DER that no RSA library accepts.
    static let certificateWithBrokenRSAKey =
        "MIICqTCCAZECBgGZo/LEsTANBgkqhkiG9w0BAQsFADCBnDELMAkGA1UEBhMCVVMxEzARBgNVBAgM"
        + "CkNhbGlmb3JuaWExFjAUBgNVBAcMDVNhbiBGcmFuY2lzY28xDTALBgNVBAoMBE9rdGExFDASBgNV"
        + "BAsMC1NTT1Byb3ZpZGVyMR0wGwYDVQQDDBRjb250b3NvLWRldi00ODIxMzcwNTEcMBoGCSqGSIb3"
        + "DQEJARYNaW5mb0Bva3RhLmNvbTAeFw0yNTEwMjAxNzEyNDRaFw0zNTEwMjAxNzEzNDRaMIGcMQsw"
        + "CQYDVQQGEwJVUzETMBEGA1UECAwKQ2FsaWZvcm5pYTEWMBQGA1UEBwwNU2FuIEZyYW5jaXNjbzEN"
        + "MAsGA1UECgwET2t0YTEUMBIGA1UECwwLU1NPUHJvdmlkZXIxHTAbBgNVBAMMFGNvbnRvc28tZGV2"
        + "LTQ4MjEzNzA1MRwwGgYJKoZIhvcNAQkBFg1pbmZvQG9rdGEuY29tMBowDQYJKoZIhvcNAQEBBQAD"
        + "CQAwBgIB/gIBATANBgkqhkiG9w0BAQsFAAOCAQEAbh7HXhVE85PVR60xgrcpbRDyww90bFLrWZS0"
        + "nuB1xhAqUH/FTYrYX3OiZIkDDUGIKvX6+NZy9vW4EvtRUJcTQQY2GY90kz3sjgYScOc2M5sTO7Bw"
        + "9mEYAD9175NmK2WmMKQgYmsepGTq7FvLTG/dyPGhL+r4v5c9r/5lo5nrUKvus/IsUNUK5x5ovGnt"
        + "cZROx+TpkI7qHQRc6Pn5+lYcdMHzMZSEpIdSpE8ZJieEtjvujWmaAB8fKtRVdrQgZlhXpcjxpXSl"
        + "tG+P1uzTbZFlmT7H/G0BMV5RWofAPfcvvwiepmgkEMujTdB6mK/YOaO7pw5XIKyttegKgr80O+aj" + "Lw=="

    @Test("a certificate whose RSA key is malformed is an undecodable certificate, not a crash (FuzzSAML finding)")
    func brokenRSAKey() throws {
        let sample = try TestFiles.text(TestFiles.sample("okta-idp-metadata.xml"))
        let start = try #require(sample.range(of: "<ds:X509Certificate>"))
        let end = try #require(sample.range(of: "</ds:X509Certificate>", range: start.upperBound..<sample.endIndex))
        let text = sample.replacingCharacters(in: start.upperBound..<end.lowerBound, with: Self.certificateWithBrokenRSAKey)
        // swift-crypto 3.12.3 freed the key twice here and aborted the process.
        let metadata = try TestFiles.parse(text)
        let undecodable = metadata.diagnostics.filter { $0.code == .certificateUndecodable }
        #expect(undecodable.count == 1, "\(metadata.diagnostics.map(\.description))")
        #expect(undecodable.first?.line == TestFiles.line(of: "<ds:X509Certificate>", in: text))
        let idp = try #require(metadata.entities.first?.identityProvider)
        #expect(idp.keys.allSatisfy { $0.certificates.isEmpty })
        #expect(!idp.singleSignOnServices.isEmpty)  // the rest of the document is still read
    }

    @Test("billion laughs is refused before one entity is declared, in well under a second of work")
    func billionLaughs() throws {
        let text = try TestFiles.text(TestFiles.fixture("billion-laughs.xml"))
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == .doctypeRefused)
        #expect(error.line == TestFiles.line(of: "<!DOCTYPE", in: text))
    }

    @Test("an entity reference without a DTD is a well-formedness error, not an expansion")
    func undeclaredEntity() {
        let text = """
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">
              <md:Extensions>&xxe;</md:Extensions>
            </md:EntityDescriptor>
            """
        let error = TestFiles.refusal(text)
        #expect(error?.code == .malformedXML)
        #expect(error?.line == 2)
        #expect(error?.message.contains("xxe") == true)
    }

    @Test("XInclude is not processed: an xi:include of /etc/passwd stays an inert element")
    func xincludeIgnored() throws {
        let text = """
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:xi="http://www.w3.org/2001/XInclude"
                entityID="https://login.zscalertwo.net/sfc_sso">
              <md:Organization><md:OrganizationName><xi:include href="file:///etc/passwd" parse="text"/></md:OrganizationName></md:Organization>
            </md:EntityDescriptor>
            """
        let metadata = try TestFiles.parse(text)
        #expect(metadata.entities.first?.organization?.name == nil)
        let inspection = MetadataInspection(source: "inline", metadata: metadata, inspectedAt: TestFiles.now)
        #expect(!inspection.renderJSON().contains(try Self.passwdLine()))
    }

    @Test("deep nesting stops at the depth limit with the line of the offending element")
    func deepNesting() throws {
        let text = try TestFiles.text(TestFiles.fixture("deep-nesting.xml"))
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == .tooDeep)
        #expect(error.line == TestFiles.line(of: "<x><x>", in: text))
        #expect(error.message.contains("64"))
        // The same document is fine when the limit allows it (libxml2's own limit is 256).
        #expect(throws: Never.self) { try TestFiles.parse(text, limits: .init(maxDepth: 210)) }
    }

    @Test("100,000 nested elements: refused quickly, no stack overflow")
    func veryDeepNesting() {
        let text =
            #"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x">"#
            + String(repeating: "<a>", count: 100_000) + String(repeating: "</a>", count: 100_000) + "</md:EntityDescriptor>"
        #expect(TestFiles.refusal(text)?.code == .tooDeep)
    }

    @Test("a document over the size limit is refused before parsing; a huge file is not read whole")
    func huge() throws {
        let limit = SAMLMetadataParser.Limits().maxBytes
        let entity = #"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:Extensions>"#
        let padding = String(repeating: "<!-- padding -->\n", count: limit / 17 + 1)
        let text = entity + padding + "</md:Extensions></md:EntityDescriptor>"
        #expect(text.utf8.count > limit)
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == .tooLarge)
        #expect(error.message.contains(String(limit)))

        // 8 MiB on disk with a 64 KiB limit: refused after reading at most limit + 1 bytes.
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("zscim-huge-\(UUID().uuidString).xml")
        defer { try? FileManager.default.removeItem(at: url) }
        try Data(repeating: UInt8(ascii: " "), count: 8 << 20).write(to: url)
        do {
            _ = try SAMLMetadataParser(limits: .init(maxBytes: 64 << 10)).parse(contentsOf: url)
            Issue.record("huge file accepted")
        } catch {
            #expect(error.code == .tooLarge)
        }
    }

    @Test(
        "malformed or foreign documents give a clear error with the line",
        arguments: [
            ("not-xml.txt", SAMLMetadataError.Code.malformedXML, "{\"entityID\""),
            ("truncated.xml", .malformedXML, "<ds:X509Certificate>"),
            ("not-saml.xml", .notSAMLMetadata, "Destination="),
            ("wrong-namespace.xml", .wrongNamespace, "<EntityDescriptor"),
        ])
    func malformed(_ name: String, _ code: SAMLMetadataError.Code, _ marker: String) throws {
        let text = try TestFiles.text(TestFiles.fixture(name))
        let error = try #require(TestFiles.refusal(text))
        #expect(error.code == code)
        #expect(error.line == TestFiles.line(of: marker, in: text), "\(error)")
        #expect(!error.message.isEmpty && !error.message.contains("\n"))
    }

    @Test("error messages say what is wrong")
    func messages() throws {
        let notSAML = try #require(TestFiles.refusal(try TestFiles.text(TestFiles.fixture("not-saml.xml"))))
        #expect(notSAML.message.contains("samlp:Response"))
        let wrong = try #require(TestFiles.refusal(try TestFiles.text(TestFiles.fixture("wrong-namespace.xml"))))
        #expect(wrong.message.contains("no namespace"))
        let typo = try #require(TestFiles.refusal(#"<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata:" entityID="x"/>"#))
        #expect(typo.code == .wrongNamespace)
        #expect(typo.message.contains("urn:oasis:names:tc:SAML:2.0:metadata:"))
        let truncated = try #require(TestFiles.refusal(try TestFiles.text(TestFiles.fixture("truncated.xml"))))
        #expect(truncated.description.hasPrefix("line 14, column "))
    }

    @Test(
        "empty, binary and odd inputs are refused without a crash",
        arguments: [
            [UInt8](), Array(" \n\t ".utf8), [0x00, 0x01, 0x02, 0xFF, 0xFE], Array("<".utf8), Array("<?xml version=\"1.0\"?>".utf8),
            Array("<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\"/>".utf8),
            [0xEF, 0xBB, 0xBF] + Array("<a>\u{0}</a>".utf8),
        ])
    func oddInputs(_ bytes: [UInt8]) {
        do {
            _ = try SAMLMetadataParser().parse(bytes)
            Issue.record("accepted \(bytes)")
        } catch {
            #expect(!error.message.isEmpty)
            #expect([.empty, .malformedXML, .missingEntityID].contains(error.code))
        }
    }

    @Test("a missing or unreadable file is a clear error")
    func unreadableFile() {
        #expect(throws: SAMLMetadataError.self) {
            try SAMLMetadataParser().parse(contentsOf: URL(fileURLWithPath: "/nonexistent/metadata.xml"))
        }
        do {
            _ = try SAMLMetadataParser().parse(contentsOf: FileManager.default.temporaryDirectory)
        } catch {
            #expect(error.code == .unreadable)
            #expect(error.message.contains("directory"))
        }
    }
}
