/// The obfuscation ZIA's legacy login wants instead of the raw API key (reference §2.2).
///
/// Take the last six digits of the millisecond timestamp (`high`) and half of them, zero-padded to six
/// (`low`); the result is the key characters at the positions `high`'s digits name, followed by those at
/// `low`'s digits plus two. Only the first 12 characters of the key matter, and the same timestamp string
/// must go into the login body next to the result.
public enum APIKeyObfuscation {
    /// - Parameters:
    ///   - apiKey: the tenant's API key (at least 12 ASCII characters).
    ///   - timestamp: epoch milliseconds as decimal digits (at least 6).
    /// - Returns: the 12-character obfuscated key.
    public static func obfuscate(apiKey: String, timestamp: String) throws(ZscalerAPIError) -> String {
        let key = Array(apiKey.utf8)
        guard key.count >= 12, key.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw .invalidConfiguration("the ZIA API key must be at least 12 printable ASCII characters")
        }
        let digits = Array(timestamp.utf8)
        guard digits.count >= 6, digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            throw .invalidArgument("the obfuscation timestamp must be at least 6 decimal digits")
        }
        let high = digits.suffix(6).map { Int($0 - UInt8(ascii: "0")) }
        let highValue = high.reduce(0) { $0 * 10 + $1 }
        var lowValue = highValue >> 1
        var low = [Int](repeating: 0, count: 6)
        for index in stride(from: 5, through: 0, by: -1) {
            low[index] = lowValue % 10
            lowValue /= 10
        }
        var out: [UInt8] = []
        out.reserveCapacity(12)
        for d in high { out.append(key[d]) }
        for d in low { out.append(key[d + 2]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The current time as ZIA wants it: epoch milliseconds, decimal.
    public static func timestamp(millisecondsSince1970 ms: Int64) -> String { String(ms) }
}
