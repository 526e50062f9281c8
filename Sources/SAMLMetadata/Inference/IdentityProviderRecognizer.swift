import Foundation

/// Recognises the IdPs the reference names (§10.4: Entra ID and Okta) from their entity ids and
/// SSO URLs, and picks the values a Zscaler admin copies from IdP metadata.
enum IdentityProviderRecognizer {
    static func hints(for entity: EntityDescriptor, role: RoleDescriptor) -> IdentityProviderHints {
        let sso =
            role.singleSignOnServices.first { $0.binding == .httpPost }
            ?? role.singleSignOnServices.first { $0.binding == .httpRedirect }
            ?? role.singleSignOnServices.first
        var vendor: String?
        var tenant: Inferred<String>?
        let entityEvidence = { (rule: String) in
            InferenceEvidence(source: "entityID", value: entity.entityID, line: entity.line, rule: rule)
        }
        // Entra ID: entity https://sts.windows.net/<tenant>/, SSO https://login.microsoftonline.com/<tenant>/saml2.
        if let match = entity.entityID.lowercased().wholeMatch(of: /https:\/\/sts\.windows\.net\/([0-9a-f-]{36})\/?/) {
            vendor = "Microsoft Entra ID"
            tenant = Inferred(
                String(match.1), .fromMetadata, evidence: [entityEvidence("https://sts.windows.net/<tenant>/ (reference §10.4)")])
        } else if entity.entityID.lowercased().hasPrefix("http://www.okta.com/") {
            // Okta: entity http://www.okta.com/<id>, SSO https://<org>.okta.com/app/<app>/<id>/sso/saml.
            vendor = "Okta"
            if let sso, let host = URLComponents(string: sso.location)?.host?.lowercased(),
                host.hasSuffix(".okta.com") || host.hasSuffix(".oktapreview.com") || host.hasSuffix(".okta-emea.com")
            {
                tenant = Inferred(
                    host, .fromMetadata,
                    evidence: [
                        InferenceEvidence(
                            source: "SingleSignOnService Location", value: sso.location, line: sso.line,
                            rule: "https://<org>.okta.com/app/<app>/<id>/sso/saml (reference §10.4)")
                    ])
            }
        }
        return IdentityProviderHints(
            vendor: vendor, tenant: tenant, singleSignOnService: sso, signingCertificate: role.signingCertificates.first)
    }
}
