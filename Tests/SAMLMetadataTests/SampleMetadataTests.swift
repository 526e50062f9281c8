import Foundation
import SAMLMetadata
import Testing

/// Every sample in `schemas/saml/` parses to the values written in it, certificates included
/// (subjects, serials and dates as `openssl x509 -noout -subject -serial -dates` printed them when
/// the certificates were made).
@Suite("SAML metadata samples")
struct SampleMetadataTests {
    private func load(_ name: String) throws -> (SAMLMetadata, String) {
        let url = TestFiles.sample(name)
        return (try SAMLMetadataParser().parse(contentsOf: url, now: TestFiles.now), try TestFiles.text(url))
    }

    @Test("ZIA SP metadata: org-specific entity id, two ACS, signing certificate, requested attributes")
    func ziaServiceProvider() throws {
        let (metadata, text) = try load("zia-sp-metadata.xml")
        #expect(metadata.rootElement == .entityDescriptor)
        #expect(metadata.diagnostics.isEmpty)
        let entity = try #require(metadata.entities.first)
        #expect(metadata.entities.count == 1)
        #expect(entity.entityID == "https://login.zscalertwo.net/sfc_sso/45193562")
        #expect(entity.line == TestFiles.line(of: "entityID=", in: text))
        let sp = try #require(entity.serviceProvider)
        #expect(entity.identityProvider == nil)
        #expect(sp.protocolSupport == ["urn:oasis:names:tc:SAML:2.0:protocol"])
        #expect(sp.authnRequestsSigned == false)
        #expect(sp.wantAssertionsSigned == true)
        #expect(
            sp.assertionConsumerServices.map(\.location) == [
                "https://login.zscalertwo.net:443/sfc_sso", "https://login.zscalertwo.net:443/sso_upd/45193562",
            ])
        #expect(sp.assertionConsumerServices.map(\.index) == [0, 1])
        #expect(sp.assertionConsumerServices.allSatisfy { $0.binding == .httpPost })
        #expect(sp.defaultAssertionConsumerService?.location == "https://login.zscalertwo.net:443/sfc_sso")
        #expect(sp.assertionConsumerServices[1].line == TestFiles.line(of: "sso_upd/45193562", in: text)! - 0)
        #expect(
            sp.nameIDFormats == [
                "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            ])
        #expect(sp.keys.map(\.use) == [.signing])
        let certificate = try #require(sp.signingCertificates.first)
        #expect(certificate.subject == "CN=login.zscalertwo.net,OU=ZIA SP (synthesised),O=zscim test fixtures,C=US")
        #expect(certificate.isSelfIssued)
        #expect(certificate.serialNumber == "5A:1A:00:01")
        #expect(certificate.notBefore == TestFiles.date("2026-01-05T00:00:00Z"))
        #expect(certificate.notAfter == TestFiles.date("2036-01-05T00:00:00Z"))
        #expect(certificate.signatureAlgorithm == "sha256WithRSAEncryption")
        #expect(certificate.daysLeft(at: TestFiles.now) == 3324)
        let service = try #require(sp.attributeConsumingServices.first)
        #expect(service.serviceNames == ["Zscaler Internet Access"])
        #expect(service.requestedAttributes.map(\.name) == ["displayName", "memberOf", "department"])
        #expect(service.requestedAttributes.allSatisfy { $0.isRequired == false })
        #expect(
            entity.organization
                == Organization(name: "Zscaler, Inc.", displayName: "Zscaler Internet Access", url: "https://www.zscaler.com/"))
        #expect(entity.contacts.map(\.type) == ["technical"])
        #expect(entity.contacts.first?.emailAddresses == ["mailto:saml-support@zscaler.invalid"])
    }

    @Test("ZPA SP metadata: default namespace, signing and encryption keys, per-IdP ACS")
    func zpaServiceProvider() throws {
        let (metadata, _) = try load("zpa-sp-metadata.xml")
        #expect(metadata.diagnostics.isEmpty)
        let entity = try #require(metadata.entities.first)
        #expect(entity.entityID == "https://samlsp.private.zscaler.com/auth/metadata/216196257331291347")
        let sp = try #require(entity.serviceProvider)
        #expect(sp.authnRequestsSigned == true)
        #expect(sp.assertionConsumerServices.map(\.location) == ["https://samlsp.private.zscaler.com/auth/216196257331291347/sso"])
        #expect(sp.assertionConsumerServices.first?.isDefault == true)
        #expect(sp.keys.map(\.use) == [.signing, .encryption])
        let certificate = try #require(sp.keys.last?.certificates.first)
        #expect(certificate.subject == "CN=samlsp.private.zscaler.com,OU=ZPA SP (synthesised),O=zscim test fixtures,C=US")
        #expect(certificate.serialNumber == "5A:1A:00:02")
        #expect(certificate.notBefore == TestFiles.date("2025-09-15T12:00:00Z"))
        #expect(certificate.notAfter == TestFiles.date("2030-09-15T12:00:00Z"))
        #expect(sp.signingCertificates.count == 1)
    }

    @Test("Entra ID IdP metadata: WS-Federation role descriptors kept by type, SSO bindings, tenant certificate")
    func entraIdentityProvider() throws {
        let (metadata, text) = try load("entra-idp-metadata.xml")
        #expect(metadata.diagnostics.isEmpty)
        let entity = try #require(metadata.entities.first)
        #expect(entity.entityID == "https://sts.windows.net/8b7c2f4e-1d3a-4c5b-9e6f-0a1b2c3d4e5f/")
        #expect(entity.id == "_3d0f6a52-8e21-4c7b-a5f9-2b6e1c9d7a40")
        #expect(entity.roles.map(\.kind) == [.other, .other, .identityProvider])
        #expect(entity.roles.compactMap(\.extensionType) == ["fed:SecurityTokenServiceType", "fed:ApplicationServiceType"])
        let idp = try #require(entity.identityProvider)
        #expect(idp.singleSignOnServices.map(\.binding) == [.httpRedirect, .httpPost])
        #expect(
            Set(idp.singleSignOnServices.map(\.location)) == [
                "https://login.microsoftonline.com/8b7c2f4e-1d3a-4c5b-9e6f-0a1b2c3d4e5f/saml2"
            ])
        #expect(idp.singleLogoutServices.map(\.binding) == [.httpRedirect])
        #expect(idp.nameIDFormats.isEmpty)
        let certificate = try #require(idp.signingCertificates.first)
        #expect(certificate.line == TestFiles.line(of: "<IDPSSODescriptor", in: text)! + 4)
        #expect(certificate.subject == "CN=Microsoft Azure Federated SSO Certificate")
        #expect(certificate.serialNumber == "3C:6E:1F:2A:9B:04:D7:E8")
        #expect(certificate.notBefore == TestFiles.date("2026-03-12T08:15:30Z"))
        #expect(certificate.notAfter == TestFiles.date("2029-03-12T08:15:30Z"))
    }

    @Test("Okta IdP metadata: certificate wrapped over lines, NameID formats, POST and Redirect SSO")
    func oktaIdentityProvider() throws {
        let (metadata, _) = try load("okta-idp-metadata.xml")
        #expect(metadata.diagnostics.isEmpty)
        let entity = try #require(metadata.entities.first)
        #expect(entity.entityID == "http://www.okta.com/exk9q2v7hdTzR4xYb5d7")
        let idp = try #require(entity.identityProvider)
        #expect(idp.wantAuthnRequestsSigned == false)
        #expect(idp.singleSignOnServices.map(\.binding) == [.httpPost, .httpRedirect])
        #expect(
            idp.nameIDFormats == [
                "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified", "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            ])
        let certificate = try #require(idp.signingCertificates.first)
        #expect(
            certificate.subject == "E=info@okta.com,CN=contoso-dev-48213705,OU=SSOProvider,O=Okta,L=San Francisco,ST=California,C=US")
        #expect(certificate.serialNumber == "01:99:A3:F2:C4:B1")
        #expect(certificate.notBefore == TestFiles.date("2025-10-20T17:12:44Z"))
        #expect(certificate.notAfter == TestFiles.date("2035-10-20T17:13:44Z"))
        #expect(!certificate.base64DER.contains("\n"))
        #expect(certificate.pem.hasPrefix("-----BEGIN CERTIFICATE-----\nMII"))
    }

    @Test("the PEM of a decoded certificate is the sample's certificate again, byte for byte")
    func pemRoundTrip() throws {
        let (metadata, text) = try load("okta-idp-metadata.xml")
        let certificate = try #require(metadata.entities.first?.identityProvider?.signingCertificates.first)
        let body = certificate.pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        let inFile = try #require(
            text.firstRange(of: "<ds:X509Certificate>").flatMap { start in
                text[start.upperBound...].firstRange(of: "</ds:X509Certificate>").map { text[start.upperBound..<$0.lowerBound] }
            })
        #expect(body == inFile.filter { !$0.isWhitespace })
    }
}
