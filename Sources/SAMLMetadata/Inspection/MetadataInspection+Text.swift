import Foundation

extension MetadataInspection {
    /// The human-readable report: entities, roles, endpoints, certificates (with days left),
    /// NameID formats, attributes, then the Zscaler inference with its evidence, what could not
    /// be inferred, and the diagnostics.
    public func renderText() -> String {
        var out = TextReport()
        let count = metadata.entities.count
        out.line("\(source): SAML 2.0 metadata, \(metadata.rootElement.rawValue), \(count) \(count == 1 ? "entity" : "entities")")
        if let group = metadata.group { describe(group, into: &out, indent: 1) }
        for report in entities {
            out.blank()
            describe(report.entity, into: &out)
            out.blank()
            describe(report.zscaler, into: &out)
        }
        out.blank()
        if metadata.diagnostics.isEmpty {
            out.line("Diagnostics: none")
        } else {
            out.line("Diagnostics (\(metadata.diagnostics.count)):")
            for diagnostic in metadata.diagnostics { out.line(diagnostic.description, indent: 1) }
        }
        return out.text
    }

    private func describe(_ group: EntitiesDescriptor, into out: inout TextReport, indent: Int) {
        out.line(
            "group \(group.name ?? "(unnamed)") (line \(group.line)): \(group.entityIDs.count) entities, \(group.groups.count) nested groups",
            indent: indent)
        for nested in group.groups { describe(nested, into: &out, indent: indent + 1) }
    }

    private func describe(_ entity: EntityDescriptor, into out: inout TextReport) {
        out.line("Entity \(entity.entityID) (line \(entity.line))")
        if let validUntil = entity.validUntil { out.line("valid until \(Self.timestamp(validUntil))", indent: 1) }
        if entity.hasSignature { out.line("carries a ds:Signature (not verified by zscim)", indent: 1) }
        for role in entity.roles { describe(role, into: &out) }
        if let organization = entity.organization {
            let parts = [organization.name, organization.displayName.map { "(\($0))" }, organization.url].compactMap { $0 }
            out.line("Organization: \(parts.joined(separator: " "))", indent: 1)
        }
        for contact in entity.contacts {
            let name = [contact.givenName, contact.surName].compactMap { $0 }.joined(separator: " ")
            let parts = [contact.company, name.isEmpty ? nil : name].compactMap { $0 } + contact.emailAddresses + contact.telephoneNumbers
            out.line("Contact (\(contact.type ?? "unspecified")): \(parts.joined(separator: ", "))", indent: 1)
        }
    }

    private func describe(_ role: RoleDescriptor, into out: inout TextReport) {
        let title: String
        switch role.kind {
        case .serviceProvider: title = "SP SSO descriptor"
        case .identityProvider: title = "IdP SSO descriptor"
        case .other: title = "RoleDescriptor \(role.extensionType ?? "(no xsi:type)")"
        default: title = role.kind.rawValue
        }
        out.line("\(title) (line \(role.line))", indent: 1)
        if !role.protocolSupport.isEmpty { out.line("protocols: \(role.protocolSupport.joined(separator: " "))", indent: 2) }
        let flags = [
            role.authnRequestsSigned.map { "AuthnRequestsSigned=\($0)" }, role.wantAssertionsSigned.map { "WantAssertionsSigned=\($0)" },
            role.wantAuthnRequestsSigned.map { "WantAuthnRequestsSigned=\($0)" },
        ].compactMap { $0 }
        if !flags.isEmpty { out.line(flags.joined(separator: ", "), indent: 2) }
        for endpoint in role.singleSignOnServices { describe(endpoint, "SSO", into: &out) }
        for endpoint in role.assertionConsumerServices { describe(endpoint, "ACS", into: &out) }
        for endpoint in role.singleLogoutServices { describe(endpoint, "SLO", into: &out) }
        for endpoint in role.artifactResolutionServices { describe(endpoint, "ArtifactResolution", into: &out) }
        if !role.nameIDFormats.isEmpty {
            out.line("NameID formats:", indent: 2)
            for format in role.nameIDFormats { out.line(format, indent: 3) }
        }
        for key in role.keys {
            for certificate in key.certificates { describe(certificate, use: key.use, into: &out) }
            if key.certificates.isEmpty { out.line("Key (\(key.use.rawValue), line \(key.line)): no usable certificate", indent: 2) }
        }
        for service in role.attributeConsumingServices {
            let name = service.serviceNames.first.map { " \"\($0)\"" } ?? ""
            out.line("Requested attributes (AttributeConsumingService \(service.index.map(String.init) ?? "?")\(name)):", indent: 2)
            for attribute in service.requestedAttributes { describe(attribute, into: &out) }
        }
        if !role.attributes.isEmpty {
            out.line("Attributes offered:", indent: 2)
            for attribute in role.attributes { describe(attribute, into: &out) }
        }
    }

    private func describe(_ endpoint: Endpoint, _ label: String, into out: inout TextReport) {
        var head = label
        if let index = endpoint.index { head += " [\(index)]" }
        if endpoint.isDefault == true { head += " default" }
        out.line("\(head) \(endpoint.binding.shortName) \(endpoint.location) (line \(endpoint.line))", indent: 2)
    }

    private func describe(_ certificate: X509CertificateInfo, use: KeyDescriptor.Use, into out: inout TextReport) {
        out.line("Certificate (\(use == .unspecified ? "signing and encryption" : use.rawValue), line \(certificate.line))", indent: 2)
        out.line("subject: \(certificate.subject)", indent: 3)
        out.line("issuer:  \(certificate.isSelfIssued ? "same as subject (self-issued)" : certificate.issuer)", indent: 3)
        out.line("serial:  \(certificate.serialNumber)", indent: 3)
        let days = certificate.daysLeft(at: inspectedAt)
        let left = certificate.notAfter <= inspectedAt ? "EXPIRED \(-days) days ago" : "\(days) days left"
        out.line("valid:   \(Self.timestamp(certificate.notBefore)) to \(Self.timestamp(certificate.notAfter)) (\(left))", indent: 3)
        out.line("algorithm: \(certificate.signatureAlgorithm)", indent: 3)
    }

    private func describe(_ attribute: MetadataAttribute, into out: inout TextReport) {
        var text = attribute.name
        if let friendly = attribute.friendlyName { text += " (\(friendly))" }
        if let required = attribute.isRequired { text += required ? ", required" : ", optional" }
        out.line(text, indent: 3)
    }

    private func describe(_ hints: ZscalerTenantHints, into out: inout TextReport) {
        out.line("Zscaler inference", indent: 1)
        out.line(
            "product: \(hints.products.isEmpty ? "none recognised" : hints.products.map(\.rawValue).joined(separator: ", "))", indent: 2)
        inferred("ZIA cloud", hints.ziaCloud.map { ($0.map { "\($0.name) (\($0.domain))" }) }, into: &out)
        inferred("ZIA org id", hints.ziaOrgID, into: &out)
        inferred("ZIA API base", hints.ziaAPIBase, into: &out)
        inferred("OneAPI base", hints.oneAPIBase, into: &out)
        inferred("ZPA cloud", hints.zpaCloud.map { ($0.map { "\($0.name) (\($0.domain))" }) }, into: &out)
        inferred("ZPA IdP id", hints.zpaIdPID, into: &out)
        inferred("ZPA API base", hints.zpaAPIBase, into: &out)
        inferred("ZPA SCIM base", hints.zpaSCIMBase, into: &out)
        if let idp = hints.identityProvider {
            out.line("IdP: \(idp.vendor ?? "not recognised")", indent: 2)
            if let tenant = idp.tenant { inferred(idp.vendor == "Okta" ? "Okta org" : "tenant", tenant, into: &out) }
            if let sso = idp.singleSignOnService {
                out.line("IdP SSO URL (ZIA \"SAML Portal URL\"): \(sso.location) (\(sso.binding.shortName), line \(sso.line))", indent: 2)
            }
            if let certificate = idp.signingCertificate {
                out.line(
                    "IdP signing certificate: \(certificate.subject), expires \(Self.timestamp(certificate.notAfter)) (line \(certificate.line))",
                    indent: 2)
            }
        }
        if !hints.notInferred.isEmpty {
            out.line("Not inferred", indent: 1)
            // Items sharing a reason (everything ZPA in ZIA metadata, say) print as one line.
            var reasons: [String] = []
            var items: [String: [String]] = [:]
            for item in hints.notInferred {
                if items[item.reason] == nil { reasons.append(item.reason) }
                items[item.reason, default: []].append(item.item)
            }
            for reason in reasons { out.line("\(items[reason]!.joined(separator: ", ")): \(reason)", indent: 2) }
        }
    }

    private func inferred(_ label: String, _ value: Inferred<String>?, into out: inout TextReport) {
        guard let value else { return }
        let certainty = value.certainty == .fromMetadata ? "" : " [\(value.certainty.rawValue)]"
        out.line("\(label): \(value.value)\(certainty)", indent: 2)
        for evidence in value.evidence { out.line(evidence.description, indent: 3) }
    }

    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }
}

/// Indented lines, two spaces a level.
private struct TextReport {
    private(set) var text = ""

    mutating func line(_ content: String, indent: Int = 0) {
        text += String(repeating: "  ", count: indent) + content + "\n"
    }

    mutating func blank() { text += "\n" }
}
