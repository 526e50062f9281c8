import Foundation
import SAMLMetadata
import Testing

/// Namespaces, aggregates and the parts of the model the samples do not reach.
@Suite("SAML metadata structure")
struct DocumentStructureTests {
    @Test("unusual and default namespace prefixes read the same as md:/ds:")
    func unusualPrefixes() throws {
        let text = """
            <?xml version="1.0"?>
            <meta:EntityDescriptor xmlns:meta="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:sig="http://www.w3.org/2000/09/xmldsig#"
                xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" entityID="https://login.zscalerthree.net/sfc_sso/7712345">
              <meta:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <meta:KeyDescriptor use="signing"><sig:KeyInfo><sig:KeyName>k1</sig:KeyName></sig:KeyInfo></meta:KeyDescriptor>
                <meta:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example/sso"/>
                <a:Attribute Name="memberOf" FriendlyName="groups" NameFormat="urn:oasis:names:tc:SAML:2.0:attrname-format:basic"/>
              </meta:IDPSSODescriptor>
              <SPSSODescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <AssertionConsumerService index="3" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.zscalerthree.net/sfc_sso"/>
              </SPSSODescriptor>
              <md:Organization xmlns:md="urn:other:not-metadata"><md:OrganizationName>ignored: wrong namespace</md:OrganizationName></md:Organization>
            </meta:EntityDescriptor>
            """
        let entity = try #require(try TestFiles.parse(text).entities.first)
        #expect(entity.identityProvider?.singleSignOnServices.map(\.location) == ["https://idp.example/sso"])
        #expect(entity.identityProvider?.keys.first?.keyNames == ["k1"])
        #expect(
            entity.identityProvider?.attributes == [
                MetadataAttribute(
                    name: "memberOf", nameFormat: "urn:oasis:names:tc:SAML:2.0:attrname-format:basic", friendlyName: "groups", line: 7)
            ])
        #expect(entity.serviceProvider?.assertionConsumerServices.first?.index == 3)
        #expect(entity.organization == nil)
    }

    @Test("EntitiesDescriptor: several entities, a nested group, document order, group names")
    func aggregate() throws {
        let text = """
            <EntitiesDescriptor xmlns="urn:oasis:names:tc:SAML:2.0:metadata" Name="urn:example:federation" validUntil="2027-06-01T00:00:00.000Z">
              <EntityDescriptor entityID="zscalertwo.net">
                <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                  <AssertionConsumerService index="0" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://login.zscalertwo.net:443/sfc_sso"/>
                </SPSSODescriptor>
              </EntityDescriptor>
              <EntitiesDescriptor Name="zpa">
                <EntityDescriptor entityID="https://samlsp.zpabeta.net/auth/metadata/144124980371554304">
                  <SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                    <AssertionConsumerService index="0" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://samlsp.zpabeta.net/auth/144124980371554304/sso"/>
                  </SPSSODescriptor>
                </EntityDescriptor>
              </EntitiesDescriptor>
              <EntityDescriptor entityID="http://www.okta.com/exk1">
                <IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                  <SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://acme.okta.com/app/zscaler2/exk1/sso/saml"/>
                </IDPSSODescriptor>
              </EntityDescriptor>
            </EntitiesDescriptor>
            """
        let metadata = try TestFiles.parse(text)
        #expect(metadata.rootElement == .entitiesDescriptor)
        #expect(metadata.diagnostics.isEmpty)
        #expect(
            metadata.entities.map(\.entityID) == [
                "zscalertwo.net", "https://samlsp.zpabeta.net/auth/metadata/144124980371554304", "http://www.okta.com/exk1",
            ])
        let group = try #require(metadata.group)
        #expect(group.name == "urn:example:federation")
        #expect(group.validUntil == TestFiles.date("2027-06-01T00:00:00Z"))
        #expect(group.entityIDs == ["zscalertwo.net", "http://www.okta.com/exk1"])
        #expect(group.groups.map(\.name) == ["zpa"])
        #expect(group.groups.first?.entityIDs == ["https://samlsp.zpabeta.net/auth/metadata/144124980371554304"])
        #expect(metadata.entity("http://www.okta.com/exk1")?.line == 14)

        let inference = ZscalerInference()
        #expect(inference.hints(for: metadata.entities[0]).ziaCloud?.value.name == "zscalertwo")
        #expect(inference.hints(for: metadata.entities[1]).zpaSCIMBase?.value == "https://scim1.zpabeta.net/scim/1/144124980371554304/v2")
        #expect(inference.hints(for: metadata.entities[2]).identityProvider?.tenant?.value == "acme.okta.com")
    }

    @Test("a root EntityDescriptor without entityID is refused with its line")
    func rootWithoutEntityID() {
        let error = TestFiles.refusal(
            "<?xml version=\"1.0\"?>\n<md:EntityDescriptor xmlns:md=\"urn:oasis:names:tc:SAML:2.0:metadata\" entityID=\"  \"/>")
        #expect(error?.code == .missingEntityID)
        #expect(error?.line == 2)
    }

    @Test("validUntil, cacheDuration and an enveloped signature are read (the signature is not verified)")
    func entityAttributes() throws {
        let text = """
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" xmlns:ds="http://www.w3.org/2000/09/xmldsig#"
                entityID="https://idp.example/" validUntil="2027-01-01T12:30:00+01:00" cacheDuration="PT6H" ID="_abc">
              <ds:Signature><ds:SignedInfo/><ds:SignatureValue>AAAA</ds:SignatureValue></ds:Signature>
              <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example/sso"/>
              </md:IDPSSODescriptor>
            </md:EntityDescriptor>
            """
        let entity = try #require(try TestFiles.parse(text).entities.first)
        #expect(entity.validUntil == TestFiles.date("2027-01-01T11:30:00Z"))
        #expect(entity.cacheDuration == "PT6H")
        #expect(entity.id == "_abc")
        #expect(entity.hasSignature)
    }

    @Test("CDATA and comments inside a certificate are read as XPath string values")
    func cdataCertificate() throws {
        let okta = try TestFiles.text(TestFiles.sample("okta-idp-metadata.xml"))
        let cdata = okta.replacingOccurrences(of: "<ds:X509Certificate>", with: "<ds:X509Certificate><!-- signing --><![CDATA[")
            .replacingOccurrences(of: "</ds:X509Certificate>", with: "]]></ds:X509Certificate>")
        let metadata = try TestFiles.parse(cdata)
        #expect(metadata.diagnostics.isEmpty)
        #expect(metadata.entities.first?.identityProvider?.signingCertificates.first?.serialNumber == "01:99:A3:F2:C4:B1")
    }

    @Test("the parsed model is a plain value: equal for equal input, and round-trips through JSON")
    func valueSemantics() throws {
        let url = TestFiles.sample("zia-sp-metadata.xml")
        let first = try SAMLMetadataParser().parse(contentsOf: url, now: TestFiles.now)
        let second = try SAMLMetadataParser().parse(contentsOf: url, now: TestFiles.now)
        #expect(first == second)
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        #expect(try decoder.decode(SAMLMetadata.self, from: encoder.encode(first)) == first)
    }
}
