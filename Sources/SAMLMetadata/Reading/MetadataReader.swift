import Foundation

/// Turns a parsed document into ``SAMLMetadata``, collecting diagnostics on the way.
///
/// Every query is XPath with this reader's own prefixes (``namespaces``), so documents that bind
/// the SAML namespaces to other prefixes, or use them as the default namespace, read the same.
struct MetadataReader {
    static let metadataNamespace = "urn:oasis:names:tc:SAML:2.0:metadata"
    static let signatureNamespace = "http://www.w3.org/2000/09/xmldsig#"
    static let assertionNamespace = "urn:oasis:names:tc:SAML:2.0:assertion"
    static let schemaInstanceNamespace = "http://www.w3.org/2001/XMLSchema-instance"
    static let xmlNamespace = "http://www.w3.org/XML/1998/namespace"
    static let saml2Protocol = "urn:oasis:names:tc:SAML:2.0:protocol"

    static let namespaces: [(prefix: String, uri: String)] = [
        ("md", metadataNamespace), ("ds", signatureNamespace), ("saml2", assertionNamespace), ("xsi", schemaInstanceNamespace),
    ]

    let now: Date
    let expiryWarningDays: Int
    private var diagnostics: [MetadataDiagnostic] = []
    private var entities: [EntityDescriptor] = []

    init(now: Date, expiryWarningDays: Int) {
        self.now = now
        self.expiryWarningDays = expiryWarningDays
    }

    mutating func read(_ document: borrowing LibXMLDocument) throws(SAMLMetadataError) -> SAMLMetadata {
        guard let root = document.rootElement else {
            throw SAMLMetadataError(code: .notSAMLMetadata, message: "document has no root element")
        }
        let rootKind = try Self.checkRoot(root)
        var group: EntitiesDescriptor?
        switch rootKind {
        case .entityDescriptor:
            guard root.attribute("entityID")?.trimmingXMLWhitespace().isEmpty == false else {
                throw SAMLMetadataError(
                    code: .missingEntityID, message: "<\(root.qualifiedName)> has no entityID attribute, which SAML metadata requires",
                    line: root.line)
            }
            _ = try readEntity(root, in: document)
        case .entitiesDescriptor:
            group = try readGroup(root, in: document)
        }
        var seen: [String: Int] = [:]
        for entity in entities {
            if let first = seen[entity.entityID] {
                note(
                    .warning, .duplicateEntityID, "entityID \(entity.entityID) appears again (first at line \(first))", entity.line,
                    entity.entityID)
            } else {
                seen[entity.entityID] = entity.line
            }
        }
        return SAMLMetadata(
            rootElement: rootKind, group: group, entities: entities,
            diagnostics: diagnostics.sorted { ($0.line ?? 0) < ($1.line ?? 0) })
    }

    /// The root must be `EntityDescriptor` or `EntitiesDescriptor` in the SAML 2.0 metadata
    /// namespace; anything else is a different kind of document and is refused whole.
    private static func checkRoot(_ root: LibXMLElement) throws(SAMLMetadataError) -> SAMLMetadata.RootElement {
        guard let kind = SAMLMetadata.RootElement(rawValue: root.localName) else {
            throw SAMLMetadataError(
                code: .notSAMLMetadata,
                message:
                    "not SAML metadata: the root element is <\(root.qualifiedName)>\(root.namespaceURI.map { " (namespace \($0))" } ?? ""), "
                    + "expected md:EntityDescriptor or md:EntitiesDescriptor",
                line: root.line)
        }
        guard root.namespaceURI == metadataNamespace else {
            throw SAMLMetadataError(
                code: .wrongNamespace,
                message:
                    "<\(root.qualifiedName)> is in \(root.namespaceURI.map { "namespace \($0)" } ?? "no namespace"), "
                    + "not the SAML 2.0 metadata namespace \(metadataNamespace)",
                line: root.line)
        }
        return kind
    }

    private mutating func readGroup(_ node: LibXMLElement, in document: borrowing LibXMLDocument) throws(SAMLMetadataError)
        -> EntitiesDescriptor
    {
        var group = EntitiesDescriptor(
            name: node.attribute("Name"), id: node.attribute("ID"), validUntil: readValidUntil(node, entityID: nil), line: node.line,
            entityIDs: [], groups: [])
        for child in try document.elements("md:EntityDescriptor | md:EntitiesDescriptor", in: node) {
            if child.localName == "EntitiesDescriptor" {
                group.groups.append(try readGroup(child, in: document))
            } else if let entity = try readEntity(child, in: document) {
                group.entityIDs.append(entity.entityID)
            }
        }
        return group
    }

    /// Reads one entity and appends it to ``entities``; nil (with a diagnostic) when it has no
    /// `entityID`, which inside a group skips only that entity.
    private mutating func readEntity(_ node: LibXMLElement, in document: borrowing LibXMLDocument) throws(SAMLMetadataError)
        -> EntityDescriptor?
    {
        guard let entityID = node.attribute("entityID")?.trimmingXMLWhitespace(), !entityID.isEmpty else {
            note(.error, .entityWithoutEntityID, "EntityDescriptor without entityID skipped", node.line, nil)
            return nil
        }
        var entity = EntityDescriptor(
            entityID: entityID, id: node.attribute("ID"), validUntil: readValidUntil(node, entityID: entityID),
            cacheDuration: node.attribute("cacheDuration"), hasSignature: try document.element("ds:Signature", in: node) != nil,
            line: node.line)
        let roleQuery =
            "md:SPSSODescriptor | md:IDPSSODescriptor | md:AttributeAuthorityDescriptor | md:AuthnAuthorityDescriptor | md:PDPDescriptor | md:RoleDescriptor"
        for roleNode in try document.elements(roleQuery, in: node) {
            entity.roles.append(try readRole(roleNode, entityID: entityID, in: document))
        }
        if entity.roles.isEmpty {
            note(.warning, .noRoles, "entity has no role descriptor (no SP or IdP SSO descriptor)", node.line, entityID)
        }
        if let organization = try document.element("md:Organization", in: node) {
            entity.organization = Organization(
                name: try localized("md:OrganizationName", in: organization, document),
                displayName: try localized("md:OrganizationDisplayName", in: organization, document),
                url: try localized("md:OrganizationURL", in: organization, document))
        }
        for contact in try document.elements("md:ContactPerson", in: node) {
            entity.contacts.append(
                ContactPerson(
                    type: contact.attribute("contactType"),
                    company: try document.element("md:Company", in: contact)?.trimmedText,
                    givenName: try document.element("md:GivenName", in: contact)?.trimmedText,
                    surName: try document.element("md:SurName", in: contact)?.trimmedText,
                    emailAddresses: try document.elements("md:EmailAddress", in: contact).compactMap(\.trimmedText),
                    telephoneNumbers: try document.elements("md:TelephoneNumber", in: contact).compactMap(\.trimmedText)))
        }
        entities.append(entity)
        return entity
    }

    private mutating func readRole(_ node: LibXMLElement, entityID: String, in document: borrowing LibXMLDocument) throws(SAMLMetadataError)
        -> RoleDescriptor
    {
        let kind = RoleDescriptor.Kind(rawValue: node.localName) ?? .other
        var role = RoleDescriptor(
            kind: kind, extensionType: node.attribute("type", namespaceURI: Self.schemaInstanceNamespace), line: node.line,
            protocolSupport: (node.attribute("protocolSupportEnumeration") ?? "").split(whereSeparator: \.isXMLWhitespace).map(String.init))
        let isSSO = kind == .serviceProvider || kind == .identityProvider
        if isSSO && !role.protocolSupport.contains(Self.saml2Protocol) {
            note(
                .warning, .noSAML2Protocol, "\(kind.rawValue) does not list \(Self.saml2Protocol) in protocolSupportEnumeration", node.line,
                entityID)
        }
        for key in try document.elements("md:KeyDescriptor", in: node) {
            role.keys.append(try readKey(key, entityID: entityID, in: document))
        }
        role.nameIDFormats = try document.elements("md:NameIDFormat", in: node).compactMap(\.trimmedText)
        role.singleLogoutServices = try endpoints("md:SingleLogoutService", indexed: false, in: node, entityID, document)
        role.artifactResolutionServices = try endpoints("md:ArtifactResolutionService", indexed: true, in: node, entityID, document)

        switch kind {
        case .serviceProvider:
            role.authnRequestsSigned = boolean("AuthnRequestsSigned", of: node, entityID)
            role.wantAssertionsSigned = boolean("WantAssertionsSigned", of: node, entityID)
            role.assertionConsumerServices = try endpoints("md:AssertionConsumerService", indexed: true, in: node, entityID, document)
            if role.assertionConsumerServices.isEmpty {
                note(
                    .error, .missingAssertionConsumerService, "SPSSODescriptor has no usable AssertionConsumerService", node.line, entityID)
            }
            for service in try document.elements("md:AttributeConsumingService", in: node) {
                role.attributeConsumingServices.append(
                    AttributeConsumingService(
                        index: index(of: service, entityID), isDefault: boolean("isDefault", of: service, entityID),
                        serviceNames: try document.elements("md:ServiceName", in: service).compactMap(\.trimmedText),
                        requestedAttributes: try attributes("md:RequestedAttribute", in: service, entityID, document), line: service.line))
            }
        case .identityProvider:
            role.wantAuthnRequestsSigned = boolean("WantAuthnRequestsSigned", of: node, entityID)
            role.singleSignOnServices = try endpoints("md:SingleSignOnService", indexed: false, in: node, entityID, document)
            if role.singleSignOnServices.isEmpty {
                note(.error, .missingSingleSignOnService, "IDPSSODescriptor has no usable SingleSignOnService", node.line, entityID)
            }
            role.attributes = try attributes("saml2:Attribute", in: node, entityID, document)
        default:
            break
        }
        return role
    }

    private mutating func readKey(_ node: LibXMLElement, entityID: String, in document: borrowing LibXMLDocument) throws(SAMLMetadataError)
        -> KeyDescriptor
    {
        var use = KeyDescriptor.Use.unspecified
        if let raw = node.attribute("use") {
            if let known = KeyDescriptor.Use(rawValue: raw), known != .unspecified {
                use = known
            } else {
                note(
                    .warning, .unknownKeyUse, "KeyDescriptor use=\"\(raw)\" is neither signing nor encryption; read as both", node.line,
                    entityID)
            }
        }
        var key = KeyDescriptor(
            use: use, certificates: [], keyNames: try document.elements("ds:KeyInfo/ds:KeyName", in: node).compactMap(\.trimmedText),
            line: node.line)
        let certificateNodes = try document.elements("ds:KeyInfo/ds:X509Data/ds:X509Certificate", in: node)
        for certificateNode in certificateNodes {
            switch CertificateDecoder.decode(certificateNode.text, line: certificateNode.line) {
            case .success(let decoded):
                if decoded.hadPEMArmour {
                    note(
                        .warning, .certificatePEMArmour,
                        "X509Certificate contains PEM armour (-----BEGIN CERTIFICATE-----); read the base64 inside it",
                        certificateNode.line, entityID)
                }
                checkValidity(decoded.info, use: use, entityID: entityID)
                key.certificates.append(decoded.info)
            case .failure(let failure):
                note(.error, .certificateUndecodable, "X509Certificate skipped: \(failure.reason)", certificateNode.line, entityID)
            }
        }
        if certificateNodes.isEmpty {
            note(
                .warning, .keyWithoutCertificate, "KeyDescriptor has no ds:X509Certificate, so its key cannot be used here", node.line,
                entityID)
        }
        return key
    }

    private mutating func checkValidity(_ certificate: X509CertificateInfo, use: KeyDescriptor.Use, entityID: String) {
        let what = "\(use == .unspecified ? "" : "\(use.rawValue) ")certificate \(certificate.subject)"
        let days = certificate.daysLeft(at: now)
        if certificate.notAfter <= now {
            note(
                .warning, .certificateExpired, "\(what) expired on \(Self.day(certificate.notAfter)) (\(-days) days ago)", certificate.line,
                entityID)
        } else if certificate.notBefore > now {
            note(
                .warning, .certificateNotYetValid, "\(what) is not valid before \(Self.day(certificate.notBefore))", certificate.line,
                entityID)
        } else if days < expiryWarningDays {
            note(
                .warning, .certificateExpiresSoon, "\(what) expires on \(Self.day(certificate.notAfter)) (\(days) days left)",
                certificate.line,
                entityID)
        }
    }

    /// Reads endpoints; one without `Binding` or `Location` is skipped with a diagnostic.
    private mutating func endpoints(
        _ query: String, indexed: Bool, in node: LibXMLElement, _ entityID: String, _ document: borrowing LibXMLDocument
    ) throws(SAMLMetadataError) -> [Endpoint] {
        var result: [Endpoint] = []
        var indexes: [Int: Int] = [:]
        for element in try document.elements(query, in: node) {
            let name = element.localName
            guard let binding = element.attribute("Binding")?.trimmingXMLWhitespace(), !binding.isEmpty,
                let location = element.attribute("Location")?.trimmingXMLWhitespace(), !location.isEmpty
            else {
                note(.error, .endpointIncomplete, "\(name) without Binding or Location skipped", element.line, entityID)
                continue
            }
            let endpoint = Endpoint(
                binding: SAMLBinding(rawValue: binding), location: location,
                responseLocation: element.attribute("ResponseLocation")?.trimmingXMLWhitespace(),
                index: indexed ? index(of: element, entityID) : nil,
                isDefault: indexed ? boolean("isDefault", of: element, entityID) : nil, line: element.line)
            if !endpoint.binding.isKnown {
                note(.warning, .unknownBinding, "\(name) has an unknown binding \(binding)", element.line, entityID)
            }
            if location.lowercased().hasPrefix("http://") {
                note(.warning, .insecureLocation, "\(name) Location \(location) is plain http", element.line, entityID)
            }
            if let index = endpoint.index {
                if let first = indexes[index] {
                    note(.warning, .duplicateIndex, "\(name) index \(index) is used again (first at line \(first))", element.line, entityID)
                } else {
                    indexes[index] = element.line
                }
            }
            result.append(endpoint)
        }
        return result
    }

    private mutating func attributes(
        _ query: String, in node: LibXMLElement, _ entityID: String, _ document: borrowing LibXMLDocument
    ) throws(SAMLMetadataError) -> [MetadataAttribute] {
        var result: [MetadataAttribute] = []
        for element in try document.elements(query, in: node) {
            guard let name = element.attribute("Name")?.trimmingXMLWhitespace(), !name.isEmpty else {
                note(.warning, .attributeWithoutName, "\(element.localName) without Name skipped", element.line, entityID)
                continue
            }
            result.append(
                MetadataAttribute(
                    name: name, nameFormat: element.attribute("NameFormat"), friendlyName: element.attribute("FriendlyName"),
                    isRequired: element.localName == "RequestedAttribute" ? (boolean("isRequired", of: element, entityID) ?? false) : nil,
                    line: element.line))
        }
        return result
    }

    /// The first localised value, preferring English (`xml:lang="en…"`).
    private func localized(_ query: String, in node: LibXMLElement, _ document: borrowing LibXMLDocument) throws(SAMLMetadataError)
        -> String?
    {
        let values = try document.elements(query, in: node)
        let english = values.first { $0.attribute("lang", namespaceURI: Self.xmlNamespace)?.lowercased().hasPrefix("en") == true }
        return (english ?? values.first)?.trimmedText
    }

    /// `xs:unsignedShort` `index`; missing or invalid is a diagnostic and nil.
    private mutating func index(of node: LibXMLElement, _ entityID: String) -> Int? {
        guard let raw = node.attribute("index") else {
            note(.warning, .invalidIndex, "\(node.localName) has no index, which SAML metadata requires", node.line, entityID)
            return nil
        }
        guard let value = Int(raw.trimmingXMLWhitespace()), (0...65_535).contains(value) else {
            note(.warning, .invalidIndex, "\(node.localName) index \"\(raw)\" is not a number from 0 to 65535", node.line, entityID)
            return nil
        }
        return value
    }

    /// `xs:boolean`: `true`, `false`, `1`, `0`; anything else is a diagnostic and nil.
    private mutating func boolean(_ name: String, of node: LibXMLElement, _ entityID: String?) -> Bool? {
        guard let raw = node.attribute(name) else { return nil }
        switch raw.trimmingXMLWhitespace() {
        case "true", "1": return true
        case "false", "0": return false
        default:
            note(.warning, .invalidBoolean, "\(node.localName) \(name)=\"\(raw)\" is not an xs:boolean; ignored", node.line, entityID)
            return nil
        }
    }

    private mutating func readValidUntil(_ node: LibXMLElement, entityID: String?) -> Date? {
        guard let raw = node.attribute("validUntil") else { return nil }
        guard let date = Self.dateTime(raw.trimmingXMLWhitespace()) else {
            note(.warning, .invalidDate, "\(node.localName) validUntil \"\(raw)\" is not an xs:dateTime; ignored", node.line, entityID)
            return nil
        }
        if date <= now {
            note(.warning, .metadataExpired, "\(node.localName) validUntil \(raw) has passed: ask for fresh metadata", node.line, entityID)
        }
        return date
    }

    /// `xs:dateTime` as SAML uses it: UTC or with an offset, with or without fractional seconds.
    static func dateTime(_ text: String) -> Date? {
        let plain = Date.ISO8601FormatStyle(includingFractionalSeconds: false)
        let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
        return (try? plain.parse(text)) ?? (try? fractional.parse(text))
    }

    static func day(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle().year().month().day())
    }

    private mutating func note(
        _ severity: MetadataDiagnostic.Severity, _ code: MetadataDiagnostic.Code, _ message: String, _ line: Int?, _ entityID: String?
    ) {
        diagnostics.append(MetadataDiagnostic(severity, code, message, line: line, entityID: entityID))
    }
}
