import Foundation
import SCIMCore

extension SCIMDateTime {
    /// The current time at millisecond precision (what `meta` shows).
    public static func now() -> SCIMDateTime {
        let interval = Date().timeIntervalSince1970
        let millis = Int64((interval * 1000).rounded(.down))
        return SCIMDateTime(seconds: millis / 1000, nanoseconds: Int32(millis % 1000) * 1_000_000)
    }
}
