/// What SAML metadata tells about a Zscaler tenant, each value with the evidence it came from, and
/// what it could not tell, with why. Built by ``ZscalerInference``.
public struct ZscalerTenantHints: Sendable, Hashable, Codable {
    /// Which Zscaler SAML service provider the metadata describes.
    public enum Product: String, Sendable, Hashable, Codable, Comparable {
        case zia = "ZIA end-user SSO"
        case ziaAdmin = "ZIA admin-portal SSO"
        case zpa = "ZPA user SSO"
        case zpaAdmin = "ZPA admin SSO"

        public static func < (lhs: Product, rhs: Product) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public var products: [Product] = []
    public var ziaCloud: Inferred<ZscalerClouds.ZIA>?
    public var ziaOrgID: Inferred<String>?
    public var ziaAPIBase: Inferred<String>?
    public var oneAPIBase: Inferred<String>?
    public var zpaCloud: Inferred<ZscalerClouds.ZPA>?
    public var zpaIdPID: Inferred<String>?
    public var zpaAPIBase: Inferred<String>?
    public var zpaSCIMBase: Inferred<String>?
    /// Set when the entity is an IdP (Entra ID, Okta, …): the values a Zscaler admin copies from it.
    public var identityProvider: IdentityProviderHints?
    /// Everything asked for that the metadata does not carry, or carries ambiguously.
    public var notInferred: [NotInferred] = []

    public init() {}
}

/// How an inferred value was reached.
public enum InferenceCertainty: String, Sendable, Hashable, Codable {
    /// Read from the document (a host or a path segment of a URL in it).
    case fromMetadata
    /// Built from values read from the document by a pattern the reference documents.
    case derived
    /// The reference's default for such a tenant; nothing in the document confirms it.
    case assumed
}

/// A value inferred from metadata.
public struct Inferred<Value: Sendable & Hashable & Codable>: Sendable, Hashable, Codable {
    public var value: Value
    public var certainty: InferenceCertainty
    public var evidence: [InferenceEvidence]

    public init(_ value: Value, _ certainty: InferenceCertainty, evidence: [InferenceEvidence]) {
        self.value = value
        self.certainty = certainty
        self.evidence = evidence
    }

    /// The same inference with its value transformed (for printing).
    public func map<T>(_ transform: (Value) -> T) -> Inferred<T> {
        Inferred<T>(transform(value), certainty, evidence: evidence)
    }
}

/// Where an inference came from: which value of the document (or which earlier inference), at
/// which line, by which rule of the reference.
public struct InferenceEvidence: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `entityID`, `AssertionConsumerService Location`, … or `derived` for a derived value.
    public var source: String
    /// The text that matched (a URL, an entity id) or the inputs of a derivation.
    public var value: String
    public var line: Int?
    /// The pattern and where the reference states it, e.g. `login.<cloud>/sfc_sso/<orgId> (reference §1.3, §10.5)`.
    public var rule: String

    public init(source: String, value: String, line: Int?, rule: String) {
        self.source = source
        self.value = value
        self.line = line
        self.rule = rule
    }

    /// `entityID https://… (line 10) matches login.<cloud>/sfc_sso/<orgId> (reference …)`, or
    /// `derived from ZIA cloud zscalertwo.net by https://zsapi.<cloud>/api/v1 (reference …)`.
    public var description: String {
        switch source {
        case "derived": "derived from \(value) by \(rule)"
        case "assumed": "assumed for \(value): \(rule)"
        default: "\(source) \(value)\(line.map { " (line \($0))" } ?? "") matches \(rule)"
        }
    }
}

/// Something that could not be inferred, and why.
public struct NotInferred: Sendable, Hashable, Codable, CustomStringConvertible {
    public var item: String
    public var reason: String

    public init(_ item: String, _ reason: String) {
        self.item = item
        self.reason = reason
    }

    public var description: String { "\(item): \(reason)" }
}

/// The values a Zscaler admin takes from IdP metadata (reference §10.1, §10.4): the SSO URL
/// ("SAML Portal URL" in ZIA, filled in from the upload in ZPA) and the signing certificate.
public struct IdentityProviderHints: Sendable, Hashable, Codable {
    /// `Microsoft Entra ID`, `Okta`, or nil when the IdP is not recognised.
    public var vendor: String?
    /// The Entra tenant id or the Okta org host.
    public var tenant: Inferred<String>?
    /// The `SingleSignOnService` to enter as the IdP SSO URL (HTTP-POST preferred, then
    /// HTTP-Redirect).
    public var singleSignOnService: Endpoint?
    /// The first signing certificate, for ZIA's `.pem` upload.
    public var signingCertificate: X509CertificateInfo?

    public init(vendor: String?, tenant: Inferred<String>?, singleSignOnService: Endpoint?, signingCertificate: X509CertificateInfo?) {
        self.vendor = vendor
        self.tenant = tenant
        self.singleSignOnService = singleSignOnService
        self.signingCertificate = signingCertificate
    }
}
