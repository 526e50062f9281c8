import Foundation
import SAMLMetadata
import Testing

/// The Zscaler inference (reference §10.5) on each sample and on the variants the reference
/// describes, including what must not be inferred.
@Suite("Zscaler inference")
struct InferenceTests {
    private func hints(sample name: String) throws -> ZscalerTenantHints {
        let metadata = try SAMLMetadataParser().parse(contentsOf: TestFiles.sample(name), now: TestFiles.now)
        return ZscalerInference().hints(for: try #require(metadata.entities.first))
    }

    /// An SP entity with the given entity id and ACS locations.
    private func hints(entityID: String, acs: [String] = [], inference: ZscalerInference = ZscalerInference()) throws -> ZscalerTenantHints
    {
        let services = acs.enumerated().map { index, location in
            #"<md:AssertionConsumerService index="\#(index)" Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="\#(location)"/>"#
        }
        let text = """
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="\(entityID)">
              <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                \(services.joined(separator: "\n    "))
              </md:SPSSODescriptor>
            </md:EntityDescriptor>
            """
        return inference.hints(for: try #require(try TestFiles.parse(text).entities.first))
    }

    private func reason(_ item: String, in hints: ZscalerTenantHints) -> String? {
        hints.notInferred.first { $0.item == item }?.reason
    }

    @Test("ZIA SP sample: cloud, org id, API base, OneAPI base, each with evidence and line")
    func ziaSample() throws {
        let hints = try hints(sample: "zia-sp-metadata.xml")
        let text = try TestFiles.text(TestFiles.sample("zia-sp-metadata.xml"))
        #expect(hints.products == [.zia])
        #expect(hints.ziaCloud?.value == ZscalerClouds.ZIA(name: "zscalertwo", domain: "zscalertwo.net"))
        #expect(hints.ziaCloud?.certainty == .fromMetadata)
        #expect(
            hints.ziaCloud?.evidence.map(\.source) == [
                "entityID", "AssertionConsumerService Location", "AssertionConsumerService Location",
            ])
        #expect(hints.ziaCloud?.evidence.first?.line == TestFiles.line(of: "entityID=", in: text))
        #expect(hints.ziaOrgID?.value == "45193562")
        #expect(
            hints.ziaOrgID?.evidence.map(\.value) == [
                "https://login.zscalertwo.net/sfc_sso/45193562", "https://login.zscalertwo.net:443/sso_upd/45193562",
            ])
        #expect(hints.ziaOrgID?.evidence.allSatisfy { $0.rule.contains("§1.3") } == true)
        #expect(hints.ziaAPIBase?.value == "https://zsapi.zscalertwo.net/api/v1")
        #expect(hints.ziaAPIBase?.certainty == .derived)
        #expect(hints.oneAPIBase?.value == "https://api.zsapi.net")
        #expect(hints.oneAPIBase?.certainty == .assumed)
        #expect(hints.zpaCloud == nil && hints.zpaIdPID == nil && hints.zpaSCIMBase == nil)
        #expect(reason("ZPA SCIM base", in: hints)?.contains("no ZPA URL") == true)
        #expect(reason("ZIA SCIM endpoint", in: hints)?.contains("IdP id") == true)
        #expect(reason("ZPA customer id, OneAPI vanity domain, API credentials", in: hints) != nil)
    }

    @Test("ZPA SP sample: cloud, IdP id, API base, SCIM base")
    func zpaSample() throws {
        let hints = try hints(sample: "zpa-sp-metadata.xml")
        #expect(hints.products == [.zpa])
        #expect(hints.zpaCloud?.value == ZscalerClouds.ZPA(name: "production", domain: "private.zscaler.com"))
        #expect(hints.zpaIdPID?.value == "216196257331291347")
        #expect(hints.zpaIdPID?.evidence.count == 2)
        #expect(hints.zpaAPIBase?.value == "https://config.private.zscaler.com")
        #expect(hints.zpaSCIMBase?.value == "https://scim1.private.zscaler.com/scim/1/216196257331291347/v2")
        #expect(hints.zpaSCIMBase?.certainty == .derived)
        #expect(hints.ziaCloud == nil)
        #expect(Set(hints.notInferred.map(\.item)).isSuperset(of: ["ZIA cloud", "ZIA org id", "ZIA API base"]))
    }

    @Test("Entra and Okta IdP samples: nothing Zscaler inferred, IdP recognised with tenant, SSO URL and certificate")
    func idpSamples() throws {
        let entra = try hints(sample: "entra-idp-metadata.xml")
        #expect(entra.products.isEmpty && entra.ziaCloud == nil && entra.zpaCloud == nil)
        #expect(reason("ZIA cloud", in: entra)?.contains("IdP metadata") == true)
        #expect(entra.identityProvider?.vendor == "Microsoft Entra ID")
        #expect(entra.identityProvider?.tenant?.value == "8b7c2f4e-1d3a-4c5b-9e6f-0a1b2c3d4e5f")
        #expect(entra.identityProvider?.singleSignOnService?.binding == .httpPost)
        #expect(entra.identityProvider?.signingCertificate?.subject == "CN=Microsoft Azure Federated SSO Certificate")

        let okta = try hints(sample: "okta-idp-metadata.xml")
        #expect(okta.identityProvider?.vendor == "Okta")
        #expect(okta.identityProvider?.tenant?.value == "contoso.okta.com")
        #expect(
            okta.identityProvider?.singleSignOnService?.location == "https://contoso.okta.com/app/zscaler2/exk9q2v7hdTzR4xYb5d7/sso/saml")
        #expect(reason("ZPA IdP id", in: okta)?.contains("IdP metadata") == true)
    }

    @Test("default ZIA entity id (bare cloud name) gives the cloud but not the org id")
    func bareCloudName() throws {
        let hints = try hints(entityID: "zscalerbeta.net", acs: ["https://login.zscalerbeta.net/sfc_sso"])
        #expect(hints.ziaCloud?.value.name == "zscalerbeta")
        #expect(hints.ziaCloud?.evidence.count == 2)
        #expect(hints.ziaAPIBase?.value == "https://zsapi.zscalerbeta.net/api/v1")
        #expect(hints.oneAPIBase?.value == "https://api.beta.zsapi.net")
        #expect(hints.ziaOrgID == nil)
        #expect(reason("ZIA org id", in: hints)?.contains("Company Profile") == true)
    }

    @Test("ZIA admin-portal SSO: admin.<cloud> entity id and adminsso.do ACS")
    func adminSSO() throws {
        let hints = try hints(entityID: "admin.zscloud.net", acs: ["https://admin.zscloud.net/adminsso.do"])
        #expect(hints.products == [.ziaAdmin])
        #expect(hints.ziaCloud?.value.domain == "zscloud.net")
        #expect(hints.ziaCloud?.evidence.count == 2)
    }

    @Test("preview and government clouds: the preview API is on admin.; no OneAPI base is guessed")
    func specialClouds() throws {
        let preview = try hints(entityID: "zspreview.net")
        #expect(preview.ziaAPIBase?.value == "https://admin.zspreview.net/api/v1")
        #expect(preview.oneAPIBase == nil)
        #expect(reason("OneAPI base", in: preview) != nil)
        let gov = try hints(entityID: "https://login.zscalergov.net/sfc_sso/1234567")
        #expect(gov.ziaAPIBase?.value == "https://zsapi.zscalergov.net/api/v1")
        #expect(gov.oneAPIBase == nil)
    }

    @Test("an unknown cloud is never turned into a base URL, unless explicitly allowed (the emulator)")
    func unknownCloud() throws {
        let unknown = try hints(entityID: "https://login.zscaler-evil.net/sfc_sso/1234567")
        #expect(unknown.ziaCloud == nil && unknown.ziaAPIBase == nil && unknown.ziaOrgID == nil)
        #expect(reason("ZIA cloud", in: unknown)?.contains("zscaler-evil.net is not a known ZIA cloud") == true)

        let allowed = try hints(
            entityID: "https://login.emulator.test/sfc_sso/1234567", inference: ZscalerInference(extraZIADomains: ["emulator.test"]))
        #expect(allowed.ziaAPIBase?.value == "https://zsapi.emulator.test/api/v1")
        #expect(allowed.ziaOrgID?.value == "1234567")

        let zpa = try hints(entityID: "https://config.test.zscaler.com/auth/metadata/72057594037928115")
        #expect(zpa.zpaCloud == nil)
        let zpaAllowed = try hints(
            entityID: "https://config.test.zscaler.com/auth/metadata/72057594037928115",
            inference: ZscalerInference(extraZPADomains: ["test.zscaler.com"]))
        #expect(zpaAllowed.zpaSCIMBase?.value == "https://scim1.test.zscaler.com/scim/1/72057594037928115/v2")
    }

    @Test("conflicting evidence is not resolved by guessing")
    func conflicts() throws {
        let clouds = try hints(entityID: "https://login.zscalertwo.net/sfc_sso/1111111", acs: ["https://login.zscalerthree.net/sfc_sso"])
        #expect(clouds.ziaCloud == nil)
        #expect(reason("ZIA cloud", in: clouds)?.contains("zscalertwo.net (entityID line 1) vs zscalerthree.net") == true)
        let orgs = try hints(
            entityID: "https://login.zscalertwo.net/sfc_sso/1111111", acs: ["https://login.zscalertwo.net/sso_upd/2222222"])
        #expect(orgs.ziaCloud?.value.name == "zscalertwo")
        #expect(orgs.ziaOrgID == nil)
        #expect(reason("ZIA org id", in: orgs)?.contains("1111111") == true)
    }

    @Test("ZPA variants: beta cloud, admin SSO host, older shared entity id without IdP id")
    func zpaVariants() throws {
        let beta = try hints(entityID: "https://samlsp.zpabeta.net/auth/metadata/144124980371554304")
        #expect(beta.zpaCloud?.value.name == "beta")
        #expect(beta.zpaSCIMBase?.value == "https://scim1.zpabeta.net/scim/1/144124980371554304/v2")
        let admin = try hints(entityID: "https://adminsamlsp.private.zscaler.com/auth/metadata/216196257331281920")
        #expect(admin.products == [.zpaAdmin])
        let shared = try hints(entityID: "https://samlsp.private.zscaler.com/auth/metadata")
        #expect(shared.zpaCloud?.value.name == "production")
        #expect(shared.zpaIdPID == nil && shared.zpaSCIMBase == nil)
        #expect(reason("ZPA IdP id", in: shared)?.contains("older shared") == true)
        #expect(shared.zpaAPIBase?.value == "https://config.private.zscaler.com")
    }

    @Test("hosts are matched case-insensitively and lookalikes do not match")
    func hostMatching() throws {
        #expect(try hints(entityID: "https://LOGIN.ZscalerTwo.NET/sfc_sso/42").ziaOrgID?.value == "42")
        #expect(try hints(entityID: "https://login.zscalertwo.net.attacker.example/sfc_sso/42").ziaCloud == nil)
        #expect(try hints(entityID: "https://login.zscalertwo.net/sfc_sso/42/extra").ziaCloud == nil)
        #expect(try hints(entityID: "https://example.com/zscalertwo.net").ziaCloud == nil)
    }
}
