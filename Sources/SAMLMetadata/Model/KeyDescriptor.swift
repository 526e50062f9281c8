import Foundation

/// `md:KeyDescriptor`: a key of a role and what it is for.
public struct KeyDescriptor: Sendable, Hashable, Codable {
    public enum Use: String, Sendable, Hashable, Codable {
        case signing
        case encryption
        /// No `use` attribute: the key serves both (SAML metadata §2.4.1.1).
        case unspecified
    }

    public var use: Use
    /// The certificates of `ds:KeyInfo/ds:X509Data/ds:X509Certificate` that decoded; the ones that
    /// did not are diagnostics.
    public var certificates: [X509CertificateInfo]
    /// `ds:KeyName` values, if any.
    public var keyNames: [String]
    public var line: Int

    public init(use: Use, certificates: [X509CertificateInfo], keyNames: [String] = [], line: Int) {
        self.use = use
        self.certificates = certificates
        self.keyNames = keyNames
        self.line = line
    }
}

/// What an X.509 certificate in metadata says about itself, read from its DER.
public struct X509CertificateInfo: Sendable, Hashable, Codable {
    /// RFC 4514 string, e.g. `CN=login.zscalertwo.net,O=Zscaler Inc.,C=US`.
    public var subject: String
    public var issuer: String
    /// Hex, colon-separated, as certificate viewers (and ZPA's `serialNo`) show it.
    public var serialNumber: String
    public var notBefore: Date
    public var notAfter: Date
    public var signatureAlgorithm: String
    /// The certificate itself, base64 DER without whitespace: what ZIA wants as a `.pem` upload.
    public var base64DER: String
    public var line: Int

    public init(
        subject: String, issuer: String, serialNumber: String, notBefore: Date, notAfter: Date, signatureAlgorithm: String,
        base64DER: String, line: Int
    ) {
        self.subject = subject
        self.issuer = issuer
        self.serialNumber = serialNumber
        self.notBefore = notBefore
        self.notAfter = notAfter
        self.signatureAlgorithm = signatureAlgorithm
        self.base64DER = base64DER
        self.line = line
    }

    /// Self-issued (subject equals issuer): the norm for SAML signing certificates.
    public var isSelfIssued: Bool { subject == issuer }

    /// Whole days from `now` until `notAfter`; negative once expired.
    public func daysLeft(at now: Date) -> Int {
        Int((notAfter.timeIntervalSince(now) / 86_400).rounded(.down))
    }

    /// PEM armour around ``base64DER`` (64-character lines), for the ZIA IdP certificate upload.
    public var pem: String {
        var lines = ["-----BEGIN CERTIFICATE-----"]
        var rest = Substring(base64DER)
        while !rest.isEmpty {
            lines.append(String(rest.prefix(64)))
            rest = rest.dropFirst(64)
        }
        lines.append("-----END CERTIFICATE-----")
        return lines.joined(separator: "\n") + "\n"
    }
}

extension X509CertificateInfo {
    /// `JSONEncoder.userInfo` key: when set to a `Date`, certificates also encode `daysLeft` from it.
    static let daysLeftReferenceDate = CodingUserInfoKey(rawValue: "zscim.daysLeftReferenceDate")!

    private enum ExtraKeys: String, CodingKey { case daysLeft, isSelfIssued }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(subject, forKey: .subject)
        try container.encode(issuer, forKey: .issuer)
        try container.encode(serialNumber, forKey: .serialNumber)
        try container.encode(notBefore, forKey: .notBefore)
        try container.encode(notAfter, forKey: .notAfter)
        try container.encode(signatureAlgorithm, forKey: .signatureAlgorithm)
        try container.encode(base64DER, forKey: .base64DER)
        try container.encode(line, forKey: .line)
        var extra = encoder.container(keyedBy: ExtraKeys.self)
        try extra.encode(isSelfIssued, forKey: .isSelfIssued)
        if let now = encoder.userInfo[Self.daysLeftReferenceDate] as? Date {
            try extra.encode(daysLeft(at: now), forKey: .daysLeft)
        }
    }
}
