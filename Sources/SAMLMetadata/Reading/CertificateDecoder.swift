import Foundation
import X509

/// Turns the text of a `ds:X509Certificate` into ``X509CertificateInfo`` using apple/swift-certificates.
///
/// A real X.509 parser rather than a DER reader of our own: names (RFC 4514 rendering, string
/// types, multi-valued RDNs) and `UTCTime`/`GeneralizedTime` validity have enough corner cases to
/// be worth a maintained, fuzzed implementation, and the bridge will need the same library when
/// it checks signatures.
enum CertificateDecoder {
    struct Decoded {
        var info: X509CertificateInfo
        /// The text carried `-----BEGIN CERTIFICATE-----` armour, which metadata should not have.
        var hadPEMArmour: Bool
    }

    /// Why the text is not a certificate, for a person.
    struct Failure: Error {
        var reason: String
    }

    static func decode(_ text: String, line: Int) -> Result<Decoded, Failure> {
        var body = Substring(text)
        var hadPEMArmour = false
        if let begin = body.range(of: "-----BEGIN CERTIFICATE-----") {
            hadPEMArmour = true
            body = body[begin.upperBound...]
            if let end = body.range(of: "-----END CERTIFICATE-----") { body = body[..<end.lowerBound] }
        }
        let base64 = String(body.filter { !$0.isXMLWhitespace })
        guard !base64.isEmpty else { return .failure(Failure(reason: "the element is empty")) }
        guard let der = Data(base64Encoded: base64) else {
            return .failure(Failure(reason: "the text is not valid base64"))
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: Array(der))
        } catch {
            // swift-asn1's description ends in its own source path; keep only the error's name.
            let name = String(describing: error).prefix { $0 != ":" }
            return .failure(Failure(reason: "the base64 does not decode to a DER X.509 certificate (\(name))"))
        }
        let info = X509CertificateInfo(
            subject: String(describing: certificate.subject),
            issuer: String(describing: certificate.issuer),
            serialNumber: certificate.serialNumber.bytes.map { hex($0) }.joined(separator: ":"),
            notBefore: certificate.notValidBefore,
            notAfter: certificate.notValidAfter,
            signatureAlgorithm: String(describing: certificate.signatureAlgorithm).replacingOccurrences(
                of: "SignatureAlgorithm.", with: ""),
            base64DER: base64,
            line: line)
        return .success(Decoded(info: info, hadPEMArmour: hadPEMArmour))
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0x0F)]])
    }
}
