/// An endpoint of a role: `AssertionConsumerService`, `SingleSignOnService`,
/// `SingleLogoutService`, `ArtifactResolutionService`.
public struct Endpoint: Sendable, Hashable, Codable {
    public var binding: SAMLBinding
    public var location: String
    public var responseLocation: String?
    /// `index` of an indexed endpoint (ACS, artifact resolution); nil elsewhere.
    public var index: Int?
    public var isDefault: Bool?
    public var line: Int

    public init(
        binding: SAMLBinding, location: String, responseLocation: String? = nil, index: Int? = nil, isDefault: Bool? = nil, line: Int
    ) {
        self.binding = binding
        self.location = location
        self.responseLocation = responseLocation
        self.index = index
        self.isDefault = isDefault
        self.line = line
    }
}

/// A SAML binding URI. Kept as the raw string so an unknown binding survives (and is reported as
/// a diagnostic) instead of failing the document.
public struct SAMLBinding: RawRepresentable, Sendable, Hashable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    public static let httpPost = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST")
    public static let httpRedirect = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect")
    public static let httpArtifact = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Artifact")
    public static let httpPostSimpleSign = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST-SimpleSign")
    public static let soap = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:SOAP")
    public static let paos = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:PAOS")
    public static let uri = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:bindings:URI")
    /// The holder-of-key web browser SSO profile uses a profile URI in `Binding`.
    public static let holderOfKeyBrowserSSO = SAMLBinding(rawValue: "urn:oasis:names:tc:SAML:2.0:profiles:holder-of-key:SSO:browser")

    /// The bindings of SAML 2.0 Bindings §3 and the HoK profile; anything else is a diagnostic.
    public static let known: Set<SAMLBinding> = [
        .httpPost, .httpRedirect, .httpArtifact, .httpPostSimpleSign, .soap, .paos, .uri, .holderOfKeyBrowserSSO,
    ]

    public var isKnown: Bool { Self.known.contains(self) }

    /// `HTTP-POST` for a known binding, the whole URI otherwise.
    public var shortName: String {
        guard isKnown, let last = rawValue.split(separator: ":").last else { return rawValue }
        return self == .holderOfKeyBrowserSSO ? "HoK-SSO" : String(last)
    }

    public var description: String { shortName }

    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(String.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}
