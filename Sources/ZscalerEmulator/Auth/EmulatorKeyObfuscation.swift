import Foundation

/// ZIA's API-key obfuscation (reference §2.2): the client sends a 12-character function of the
/// raw key and the login timestamp instead of the key. The emulator recomputes it from the stored
/// key and compares. Public so the `obfuscate` helper and tests use the one implementation; its own
/// copy (not ZscalerAPI's `APIKeyObfuscation`) so a client's mistake cannot hide in shared code.
public enum EmulatorKeyObfuscation {
    /// The obfuscated key for `apiKey` at `timestamp` (epoch milliseconds as decimal text), or
    /// `nil` when the key is shorter than 12 characters or the timestamp is not 6+ digits.
    public static func obfuscate(apiKey: String, timestamp: String) -> String? {
        let key = Array(apiKey)
        guard key.count >= 12, timestamp.count >= 6, timestamp.allSatisfy(\.isASCII), timestamp.allSatisfy(\.isNumber) else {
            return nil
        }
        let high = String(timestamp.suffix(6))
        guard let highValue = Int(high) else { return nil }
        let lowDigits = String(highValue >> 1)
        let low = String(repeating: "0", count: max(0, 6 - lowDigits.count)) + lowDigits
        var result = ""
        for digit in high { result.append(key[Int(String(digit))!]) }
        for digit in low { result.append(key[Int(String(digit))! + 2]) }
        return result
    }

    /// The current time as ZIA wants it: epoch milliseconds, as text.
    public static func currentTimestamp() -> String {
        String(Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }
}
