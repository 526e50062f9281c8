/// The raw matches of one entity, before they are checked for agreement and turned into
/// ``ZscalerTenantHints``.
struct Findings {
    /// Every value seen for one fact, in document order, with its evidence.
    struct Votes<Value: Hashable> {
        private(set) var values: [Value] = []
        private(set) var evidence: [Value: [InferenceEvidence]] = [:]

        mutating func add(_ value: Value, _ item: InferenceEvidence) {
            if evidence[value] == nil { values.append(value) }
            evidence[value, default: []].append(item)
        }

        /// The value when all evidence agrees; nil when there is none or it conflicts.
        var agreed: (Value, [InferenceEvidence])? {
            guard values.count == 1, let value = values.first else { return nil }
            return (value, evidence[value] ?? [])
        }

        /// `a (entityID line 2) vs b (AssertionConsumerService Location line 9)`.
        func conflict(_ show: (Value) -> String) -> String? {
            guard values.count > 1 else { return nil }
            return values.map { value in
                let places = (evidence[value] ?? []).map { "\($0.source)\($0.line.map { " line \($0)" } ?? "")" }
                return "\(show(value)) (\(places.joined(separator: ", ")))"
            }.joined(separator: " vs ")
        }
    }

    var products: Set<ZscalerTenantHints.Product> = []
    var ziaClouds = Votes<ZscalerClouds.ZIA>()
    var orgIDs = Votes<String>()
    var zpaClouds = Votes<ZscalerClouds.ZPA>()
    var idpIDs = Votes<String>()
    /// Zscaler-shaped URLs on hosts outside the known clouds.
    var unknownHosts: [String] = []

    func hints(for entity: EntityDescriptor) -> ZscalerTenantHints {
        var hints = ZscalerTenantHints()
        hints.products = products.sorted()
        let isIdP = entity.identityProvider != nil && entity.serviceProvider == nil
        let ziaAbsent =
            isIdP
            ? "this is IdP metadata; the ZIA cloud and org id are in the SP metadata ZIA gives you"
            : "no ZIA URL (login.<cloud>/sfc_sso, login.<cloud>/sso_upd/<orgId>, admin.<cloud>) and the entityID is not a ZIA cloud name (reference §10.5 step 2)"
        let zpaAbsent =
            isIdP
            ? "this is IdP metadata; the ZPA cloud and IdP id are in the SP metadata ZPA gives you"
            : "no ZPA URL (samlsp.<cloud>/auth/<idpId>/sso or /auth/metadata/<idpId>) (reference §10.5 step 3)"
        let unknown = unknownHosts.isEmpty ? "" : "; " + unknownHosts.joined(separator: "; ")

        // ZIA
        if let (cloud, evidence) = ziaClouds.agreed {
            hints.ziaCloud = Inferred(cloud, .fromMetadata, evidence: evidence)
            hints.ziaAPIBase = Inferred(
                cloud.apiBase, .derived,
                evidence: [
                    InferenceEvidence(
                        source: "derived", value: "ZIA cloud \(cloud.domain)", line: nil,
                        rule: cloud.name == "zspreview"
                            ? "https://admin.zspreview.net/api/v1 (reference §1.2)"
                            : "https://zsapi.<cloud>/api/v1 (reference §1.2, §10.5 step 4)")
                ])
            if let oneAPI = cloud.oneAPIBase {
                hints.oneAPIBase = Inferred(
                    oneAPI, .assumed,
                    evidence: [
                        InferenceEvidence(
                            source: "assumed", value: "ZIA cloud \(cloud.domain)", line: nil,
                            rule:
                                "api.zsapi.net unless the cloud is beta or government (reference §1.5, §10.5 step 5); the tenant's OneAPI onboarding confirms it"
                        )
                    ])
            } else {
                hints.notInferred.append(NotInferred("OneAPI base", "the reference's sources disagree for \(cloud.domain) (§1.1, §1.5)"))
            }
            if let (orgID, evidence) = orgIDs.agreed {
                hints.ziaOrgID = Inferred(orgID, .fromMetadata, evidence: evidence)
            } else if let conflict = orgIDs.conflict({ $0 }) {
                hints.notInferred.append(NotInferred("ZIA org id", "conflicting values: \(conflict)"))
            } else {
                hints.notInferred.append(
                    NotInferred(
                        "ZIA org id",
                        "the metadata uses the cloud-wide entityID and ACS; the org id appears only in the org-specific entity ID "
                            + "(login.<cloud>/sfc_sso/<orgId>) or the IdP-initiated ACS (sso_upd/<orgId>) (reference §1.3); "
                            + "the ZIA admin portal shows it under Administration > Company Profile"))
            }
            hints.notInferred.append(
                NotInferred(
                    "ZIA SCIM endpoint",
                    "https://scim.<cloud>/<orgId>/<idpId>/scim needs ZIA's own IdP id, which SP metadata does not carry (reference §1.3, §10.5 step 4)"
                ))
        } else {
            let reason = ziaClouds.conflict { $0.domain }.map { "conflicting values: \($0)" } ?? ziaAbsent + unknown
            hints.notInferred.append(NotInferred("ZIA cloud", reason))
            hints.notInferred.append(
                NotInferred("ZIA org id", orgIDs.agreed.map { "org id \($0.0) seen, but without an agreed cloud" } ?? reason))
            hints.notInferred.append(NotInferred("ZIA API base", reason))
        }

        // ZPA
        if let (cloud, evidence) = zpaClouds.agreed {
            hints.zpaCloud = Inferred(cloud, .fromMetadata, evidence: evidence)
            hints.zpaAPIBase = Inferred(
                cloud.apiBase, .derived,
                evidence: [
                    InferenceEvidence(
                        source: "derived", value: "ZPA cloud \(cloud.domain)", line: nil,
                        rule: "https://config.<cloud> (reference §1.4, §10.5 step 4)")
                ])
            if let (idpID, evidence) = idpIDs.agreed {
                hints.zpaIdPID = Inferred(idpID, .fromMetadata, evidence: evidence)
                hints.zpaSCIMBase = Inferred(
                    cloud.scimBase(idpID: idpID), .derived,
                    evidence: [
                        InferenceEvidence(
                            source: "derived", value: "ZPA cloud \(cloud.domain), IdP id \(idpID)", line: nil,
                            rule: "https://scim1.<cloud>/scim/1/<idpId>/v2 (reference §1.4, §9.2, §10.5 step 4; DESIGN.md §3)")
                    ])
            } else {
                let reason =
                    idpIDs.conflict { $0 }.map { "conflicting values: \($0)" }
                    ?? "the metadata has no per-IdP URL (samlsp.<cloud>/auth/<idpId>/sso or /auth/metadata/<idpId>); older shared ZPA metadata carries none (reference §10.3)"
                hints.notInferred.append(NotInferred("ZPA IdP id", reason))
                hints.notInferred.append(NotInferred("ZPA SCIM base", "needs the ZPA IdP id"))
            }
        } else {
            let reason = zpaClouds.conflict { $0.domain }.map { "conflicting values: \($0)" } ?? zpaAbsent + unknown
            hints.notInferred.append(NotInferred("ZPA cloud", reason))
            hints.notInferred.append(
                NotInferred("ZPA IdP id", idpIDs.agreed.map { "IdP id \($0.0) seen, but without an agreed cloud" } ?? reason))
            hints.notInferred.append(NotInferred("ZPA API base", reason))
            hints.notInferred.append(NotInferred("ZPA SCIM base", reason))
        }
        hints.notInferred.append(
            NotInferred(
                "ZPA customer id, OneAPI vanity domain, API credentials", "never in SAML metadata (reference §10.5 step 5)"))

        if let idp = entity.identityProvider {
            hints.identityProvider = IdentityProviderRecognizer.hints(for: entity, role: idp)
        }
        return hints
    }
}
