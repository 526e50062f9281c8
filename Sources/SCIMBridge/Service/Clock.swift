import Foundation
import SCIMCore

extension SCIMDateTime {
    /// The current time at millisecond precision (what `meta` shows).
    public static func now() -> SCIMDateTime {
        SCIMDateTime(epochMillis: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// An instant from epoch milliseconds: the unit the store orders changes and waits by.
    public init(epochMillis: Int64) {
        self.init(seconds: epochMillis / 1000, nanoseconds: Int32(epochMillis % 1000) * 1_000_000)
    }

    /// Epoch milliseconds (sub-millisecond digits dropped).
    public var epochMillis: Int64 { seconds * 1000 + Int64(nanoseconds / 1_000_000) }
}
