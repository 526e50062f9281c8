import Foundation

/// Secret handling shared by the auth pieces: constant-time comparison (so response timing does
/// not reveal how much of a key or password matched) and random identifiers.
enum Secrets {
    /// Compares two secrets in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        var difference = UInt8(truncatingIfNeeded: left.count ^ right.count)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? left[index] : 0
            let b = index < right.count ? right[index] : 0
            difference |= a ^ b
        }
        return difference == 0
    }

    /// `count` random bytes from the system generator.
    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// A `JSESSIONID`: 32 upper-case hex characters, as in the documented example.
    static func sessionId() -> String { randomBytes(16).map { String(format: "%02X", $0) }.joined() }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// "abc…" for logs and banners: enough to recognise, not enough to use.
    static func redacted(_ secret: String) -> String { secret.count <= 4 ? "****" : String(secret.prefix(3)) + "…" }
}
