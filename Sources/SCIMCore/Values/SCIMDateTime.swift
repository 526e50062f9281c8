/// An instant parsed from an RFC 3339 / xsd:dateTime string (RFC 7643 §2.3.5), for ordering
/// `meta.lastModified gt "…"` correctly across offsets and fractional seconds. Parsed by hand:
/// it runs once per resource in a filter scan, and Foundation's formatters are far slower.
public struct SCIMDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let seconds: Int64
    /// Fraction of a second, in nanoseconds.
    public let nanoseconds: Int32

    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }

    public static func < (a: SCIMDateTime, b: SCIMDateTime) -> Bool {
        a.seconds != b.seconds ? a.seconds < b.seconds : a.nanoseconds < b.nanoseconds
    }

    /// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`. `T`/`Z` may be lower case (RFC 3339
    /// §5.6 allows it). A missing offset is refused: the instant would be ambiguous.
    public init?(_ text: String) {
        var text = text
        guard let parsed = text.withUTF8({ SCIMDateTime.parse($0) }) else { return nil }
        self = parsed
    }

    /// Parses from UTF-8 bytes without allocating (it runs once per resource in a scan).
    static func parse(_ utf8: UnsafeBufferPointer<UInt8>) -> SCIMDateTime? {
        guard utf8.count >= 20 else { return nil }
        func num(_ from: Int, _ count: Int) -> Int? {
            var v = 0
            for i in from..<(from + count) {
                guard i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 else { return nil }
                v = v * 10 + Int(utf8[i] - 0x30)
            }
            return v
        }
        guard let year = num(0, 4), utf8[4] == UInt8(ascii: "-"), let month = num(5, 2), utf8[7] == UInt8(ascii: "-"),
            let day = num(8, 2), utf8[10] == UInt8(ascii: "T") || utf8[10] == UInt8(ascii: "t") || utf8[10] == 0x20,
            let hour = num(11, 2), utf8[13] == UInt8(ascii: ":"), let minute = num(14, 2), utf8[16] == UInt8(ascii: ":"),
            let second = num(17, 2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, day <= SCIMDateTime.daysIn(month: month, year: year), hour <= 23,
            minute <= 59, second <= 60
        else { return nil }
        var i = 19
        var nanos = 0
        if i < utf8.count, utf8[i] == UInt8(ascii: ".") {
            i += 1
            var digits = 0
            while i < utf8.count, utf8[i] >= 0x30, utf8[i] <= 0x39 {
                if digits < 9 { nanos = nanos * 10 + Int(utf8[i] - 0x30) }
                digits += 1
                i += 1
            }
            guard digits > 0 else { return nil }
            for _ in digits..<max(digits, 9) { nanos *= 10 }
        }
        guard i < utf8.count else { return nil }
        var offsetSeconds = 0
        if utf8[i] == UInt8(ascii: "Z") || utf8[i] == UInt8(ascii: "z") {
            i += 1
        } else if utf8[i] == UInt8(ascii: "+") || utf8[i] == UInt8(ascii: "-") {
            let sign = utf8[i] == UInt8(ascii: "-") ? -1 : 1
            guard let oh = num(i + 1, 2), i + 3 < utf8.count, utf8[i + 3] == UInt8(ascii: ":"), let om = num(i + 4, 2),
                oh <= 23, om <= 59
            else { return nil }
            offsetSeconds = sign * (oh * 3600 + om * 60)
            i += 6
        } else {
            return nil
        }
        guard i == utf8.count else { return nil }
        let days = SCIMDateTime.daysFromCivil(year: year, month: month, day: day)
        let secs = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + min(second, 59)) - Int64(offsetSeconds)
        return SCIMDateTime(seconds: secs, nanoseconds: Int32(nanos))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 in the proleptic Gregorian calendar (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays z0: Int) -> (year: Int, month: Int, day: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    /// UTC text with millisecond precision when there is a fraction, as the service writes `meta`.
    public var description: String {
        var days = Int(seconds / 86_400)
        var rem = Int(seconds % 86_400)
        if rem < 0 {
            rem += 86_400
            days -= 1
        }
        let (y, m, d) = SCIMDateTime.civil(fromDays: days)
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, w - s.count)) + s
        }
        var text = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(rem / 3600, 2)):\(pad(rem % 3600 / 60, 2)):\(pad(rem % 60, 2))"
        if nanoseconds > 0 { text += "." + pad(Int(nanoseconds) / 1_000_000, 3) }
        return text + "Z"
    }
}
