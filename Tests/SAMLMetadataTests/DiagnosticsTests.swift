import Foundation
import SAMLMetadata
import Testing

/// Recoverable problems are diagnostics with a line, and the rest of the document is still read.
@Suite("Metadata diagnostics")
struct DiagnosticsTests {
    @Test("each recoverable problem in the fixture is one diagnostic at its line; the usable parts survive")
    func recoverableProblems() throws {
        let text = try TestFiles.text(TestFiles.fixture("recoverable-problems.xml"))
        let metadata = try TestFiles.parse(text)
        func line(_ marker: String) -> Int? { TestFiles.line(of: marker, in: text) }
        let found = Set(metadata.diagnostics.map { "\($0.code)@\($0.line ?? 0)" })
        let expected: [(MetadataDiagnostic.Code, Int?)] = [
            (.metadataExpired, line("validUntil=\"2020")),
            (.invalidBoolean, line("WantAuthnRequestsSigned=\"yes\"")),
            (.certificateExpired, line("<md:KeyDescriptor use=\"signing\"><ds:KeyInfo><ds:X509Data><ds:X509Certificate>MII")),
            (.certificateUndecodable, line("not*base64!")),
            (.certificateUndecodable, line("<md:KeyDescriptor use=\"encryption\">")),
            (.unknownKeyUse, line("use=\"verification\"")),
            (.certificatePEMArmour, line("use=\"verification\"")),
            (.keyWithoutCertificate, line("<ds:KeyName>")),
            (.unknownBinding, line("carrier-pigeon")),
            (.endpointIncomplete, line("HTTP-Redirect\"/>")),
            (.insecureLocation, line("http://idp.example.org/saml/post")),
            (.noSAML2Protocol, line("SAML:1.1:protocol")),
            (.invalidIndex, line("acs/no-index")),
            (.duplicateIndex, line("acs/one-again")),
            (.invalidIndex, line("index=\"seven\"")),
            (.attributeWithoutName, line("FriendlyName=\"no name\"")),
            (.entityWithoutEntityID, line("<md:EntityDescriptor>")),
            (.noRoles, line("entityID=\"https://idp.example.org/saml\"/>")),
            (.duplicateEntityID, line("entityID=\"https://idp.example.org/saml\"/>")),
        ]
        for (code, line) in expected {
            #expect(found.contains("\(code)@\(line ?? -1)"), "missing \(code) at line \(line ?? -1); found \(found.sorted())")
        }
        #expect(metadata.diagnostics.count == expected.count, "\(metadata.diagnostics.map(\.description))")

        // What could be read was read.
        #expect(
            metadata.entities.map(\.entityID) == [
                "https://idp.example.org/saml", "https://sp.example.org/saml", "https://idp.example.org/saml",
            ])
        let idp = try #require(metadata.entities[0].identityProvider)
        #expect(idp.keys.map(\.use) == [.signing, .signing, .encryption, .unspecified, .unspecified])
        #expect(idp.keys.map(\.certificates.count) == [1, 0, 0, 1, 0])
        #expect(idp.keys[3].certificates.first?.subject.contains("CN=contoso-dev-48213705") == true)
        #expect(idp.singleSignOnServices.map(\.binding.rawValue) == ["urn:example:bindings:carrier-pigeon", SAMLBinding.httpPost.rawValue])
        #expect(idp.wantAuthnRequestsSigned == nil)
        let sp = try #require(metadata.entities[1].serviceProvider)
        #expect(sp.assertionConsumerServices.map(\.index) == [nil, 1, 1, nil])
        #expect(sp.attributeConsumingServices.first?.requestedAttributes.map(\.name) == ["mail"])
        #expect(sp.attributeConsumingServices.first?.requestedAttributes.first?.isRequired == true)
        #expect(metadata.diagnostics.filter { $0.severity == .error }.count == 4)
        #expect(metadata.diagnostics.first { $0.code == .certificateExpired }?.entityID == "https://idp.example.org/saml")
    }

    @Test("certificate expiry diagnostics follow the clock: valid, expiring soon, expired, not yet valid")
    func expiryFollowsClock() throws {
        let url = TestFiles.sample("zia-sp-metadata.xml")
        func codes(at date: String) throws -> [MetadataDiagnostic.Code] {
            try SAMLMetadataParser().parse(contentsOf: url, now: TestFiles.date(date)).diagnostics.map(\.code)
        }
        #expect(try codes(at: "2030-01-01T00:00:00Z") == [])
        #expect(try codes(at: "2035-12-20T00:00:00Z") == [.certificateExpiresSoon])
        #expect(try codes(at: "2040-01-01T00:00:00Z") == [.certificateExpired])
        #expect(try codes(at: "2025-01-01T00:00:00Z") == [.certificateNotYetValid])
        let message = try SAMLMetadataParser().parse(contentsOf: url, now: TestFiles.date("2036-01-15T00:00:00Z")).diagnostics.first?
            .message
        #expect(
            message
                == "signing certificate CN=login.zscalertwo.net,OU=ZIA SP (synthesised),O=zscim test fixtures,C=US expired on 2036-01-05 (10 days ago)"
        )
    }

    @Test("an SP without ACS and an IdP without SSO service are reported")
    func missingEndpoints() throws {
        let text = """
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="https://both.example/">
              <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/>
            </md:EntityDescriptor>
            """
        let diagnostics = try TestFiles.parse(text).diagnostics
        #expect(diagnostics.map(\.code) == [.missingAssertionConsumerService, .missingSingleSignOnService])
        #expect(diagnostics.map(\.line) == [2, 3])
    }
}
