import Foundation

/// Infers Zscaler tenant facts from the URLs in SAML metadata, following the reference's
/// procedure (zscaler-admin-api.md §10.5, built on §1.1–§1.4, §10.2, §10.3). Pure and total: it
/// never fails, it reports what it could not infer.
public struct ZscalerInference: Sendable {
    /// ZIA and ZPA domains accepted besides the known clouds (e.g. the emulator's); empty in
    /// production, so an unknown host never becomes a base URL (DESIGN.md §6).
    public var extraZIADomains: Set<String>
    public var extraZPADomains: Set<String>

    public init(extraZIADomains: Set<String> = [], extraZPADomains: Set<String> = []) {
        self.extraZIADomains = Set(extraZIADomains.map { $0.lowercased() })
        self.extraZPADomains = Set(extraZPADomains.map { $0.lowercased() })
    }

    public func hints(for entity: EntityDescriptor) -> ZscalerTenantHints {
        var findings = Findings()
        for candidate in Self.candidates(of: entity) {
            classify(candidate, into: &findings)
        }
        return findings.hints(for: entity)
    }

    // MARK: - Candidates

    /// A value of the document that may name a Zscaler host.
    struct Candidate {
        var source: String
        var value: String
        var line: Int
        /// Lower-cased host, or the whole value when it is a bare name (`zscalertwo.net`).
        var host: String
        var path: String
        var isBare: Bool
    }

    static func candidates(of entity: EntityDescriptor) -> [Candidate] {
        var values: [(String, String, Int)] = [("entityID", entity.entityID, entity.line)]
        for (element, endpoint) in entity.allEndpoints {
            values.append(("\(element) Location", endpoint.location, endpoint.line))
            if let response = endpoint.responseLocation { values.append(("\(element) ResponseLocation", response, endpoint.line)) }
        }
        return values.compactMap { source, value, line in
            if value.contains("://") {
                guard let components = URLComponents(string: value), let host = components.host, !host.isEmpty else { return nil }
                return Candidate(source: source, value: value, line: line, host: host.lowercased(), path: components.path, isBare: false)
            }
            // A bare host such as the default ZIA entity id `zscalertwo.net` or `admin.zscalertwo.net`.
            let bare = value.lowercased()
            guard !bare.isEmpty, bare.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) else { return nil }
            return Candidate(source: source, value: value, line: line, host: bare, path: "", isBare: true)
        }
    }

    // MARK: - Rules

    private func ziaCloud(domain: String) -> ZscalerClouds.ZIA? {
        if let known = ZscalerClouds.zia.first(where: { $0.domain == domain }) { return known }
        return extraZIADomains.contains(domain) ? ZscalerClouds.ZIA(name: domain, domain: domain) : nil
    }

    private func zpaCloud(domain: String) -> ZscalerClouds.ZPA? {
        if let known = ZscalerClouds.zpa.first(where: { $0.domain == domain }) { return known }
        return extraZPADomains.contains(domain) ? ZscalerClouds.ZPA(name: domain, domain: domain) : nil
    }

    private func classify(_ candidate: Candidate, into findings: inout Findings) {
        let host = candidate.host
        let path = candidate.path
        func evidence(_ rule: String) -> InferenceEvidence {
            InferenceEvidence(source: candidate.source, value: candidate.value, line: candidate.line, rule: rule)
        }

        // ZIA end-user SSO: login.<cloud> + /sfc_sso[/<orgId>] or /sso_upd/<orgId> (§1.3, §10.2, §10.5 step 2).
        if let domain = host.dropPrefix("login.") {
            var orgID: String?
            var rule: String?
            if let match = path.wholeMatch(of: /\/sfc_sso(?:\/(\d+))?\/?/) {
                orgID = match.1.map(String.init)
                rule =
                    orgID == nil
                    ? "login.<cloud>/sfc_sso (reference §1.3, §10.5 step 2)"
                    : "login.<cloud>/sfc_sso/<orgId> (reference §1.3, §10.5 step 2)"
            } else if let match = path.wholeMatch(of: /\/sso_upd\/(\d+)\/?/) {
                orgID = String(match.1)
                rule = "login.<cloud>/sso_upd/<orgId> (reference §1.3, §10.5 step 2)"
            }
            if let rule {
                guard let cloud = ziaCloud(domain: domain) else {
                    findings.unknownHosts.append(
                        "\(candidate.value) (line \(candidate.line)) has the ZIA pattern \(rule.prefix { $0 != " " }) but \(domain) is not a known ZIA cloud (reference §1.1)"
                    )
                    return
                }
                findings.products.insert(.zia)
                findings.ziaClouds.add(cloud, evidence(rule))
                if let orgID { findings.orgIDs.add(orgID, evidence(rule)) }
                return
            }
        }
        // ZIA admin-portal SSO: entityID admin.<cloud>, ACS https://admin.<cloud>/adminsso.do (§1.3, §10.2).
        if let domain = host.dropPrefix("admin."), candidate.isBare || path == "/adminsso.do" {
            let rule =
                candidate.isBare
                ? "admin.<cloud> (reference §1.3, §10.5 step 2)" : "admin.<cloud>/adminsso.do (reference §1.3, §10.5 step 2)"
            guard let cloud = ziaCloud(domain: domain) else {
                findings.unknownHosts.append(
                    "\(candidate.value) (line \(candidate.line)) looks like ZIA admin SSO but \(domain) is not a known ZIA cloud (reference §1.1)"
                )
                return
            }
            findings.products.insert(.ziaAdmin)
            findings.ziaClouds.add(cloud, evidence(rule))
            return
        }
        // Default ZIA entity id: the bare cloud name (§1.3, §10.2).
        if candidate.isBare, candidate.source == "entityID", let cloud = ziaCloud(domain: host) {
            findings.products.insert(.zia)
            findings.ziaClouds.add(cloud, evidence("entityID = bare ZIA cloud name (reference §1.3, §10.2, §10.5 step 2)"))
            return
        }
        // ZPA: samlsp./adminsamlsp./config.<cloud> + /auth/<idpId>/sso|metadata|certificate or /auth/metadata/<idpId> (§10.3, §8.2, §10.5 step 3).
        for (prefix, product) in [("samlsp.", ZscalerTenantHints.Product.zpa), ("adminsamlsp.", .zpaAdmin), ("config.", .zpa)] {
            guard let domain = host.dropPrefix(prefix), path.hasPrefix("/auth/") else { continue }
            var idpID: String?
            var rule: String?
            if let match = path.wholeMatch(of: /\/auth\/metadata\/(\d+)\/?/) {
                idpID = String(match.1)
                rule = "\(prefix)<cloud>/auth/metadata/<idpId> (reference §10.3, §10.5 step 3)"
            } else if let match = path.wholeMatch(of: /\/auth\/(\d+)\/(sso|metadata|certificate)\/?/) {
                idpID = String(match.1)
                rule = "\(prefix)<cloud>/auth/<idpId>/\(match.2) (reference §10.3, §10.5 step 3)"
            } else if path.wholeMatch(of: /\/auth\/(metadata|login|v2\/login)\/?/) != nil {
                rule = "\(prefix)<cloud>\(path) without an IdP id: the older shared ZPA entity id / sign-on URL (reference §10.3)"
            }
            guard let rule else { continue }
            guard let cloud = zpaCloud(domain: domain) else {
                findings.unknownHosts.append(
                    "\(candidate.value) (line \(candidate.line)) has a ZPA path but \(domain) is not a known ZPA cloud (reference §1.4)")
                return
            }
            findings.products.insert(product)
            findings.zpaClouds.add(cloud, evidence(rule))
            if let idpID { findings.idpIDs.add(idpID, evidence(rule)) }
            return
        }
    }
}

extension String {
    /// The rest of the string after `prefix`, when it starts with it and something follows.
    fileprivate func dropPrefix(_ prefix: String) -> String? {
        guard hasPrefix(prefix), count > prefix.count else { return nil }
        return String(dropFirst(prefix.count))
    }
}
