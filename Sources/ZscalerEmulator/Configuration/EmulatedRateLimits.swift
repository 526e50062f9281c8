import Foundation

/// One rate-limit window: at most `limit` calls in any `seconds`-long span (Zscaler seconds).
public struct EmulatedRateWindow: Sendable, Codable, Equatable, CustomStringConvertible {
    public var limit: Int
    public var seconds: Double

    public init(limit: Int, seconds: Double) {
        self.limit = limit
        self.seconds = seconds
    }

    public static func perSecond(_ limit: Int) -> Self { .init(limit: limit, seconds: 1) }
    public static func perMinute(_ limit: Int) -> Self { .init(limit: limit, seconds: 60) }
    public static func perHour(_ limit: Int) -> Self { .init(limit: limit, seconds: 3600) }

    /// The `N/UNIT` text of Zscaler's 429 message, e.g. `1/SECOND`, `40/HOUR`.
    public var description: String {
        switch seconds {
        case 1: "\(limit)/SECOND"
        case 60: "\(limit)/MINUTE"
        case 3600: "\(limit)/HOUR"
        default: "\(limit)/\(seconds.formatted(maxFractionDigits: 3))SECONDS"
        }
    }
}

/// The limits of one ZIA endpoint: `method` plus a path template relative to the API base
/// (`/api/v1` or `/zia/api/v1`), with `{name}` for a path parameter, e.g. `/users/{userId}`.
public struct EmulatedRateRule: Sendable, Codable, Equatable {
    public var method: String
    public var path: String
    public var windows: [EmulatedRateWindow]

    public init(_ method: String, _ path: String, _ windows: [EmulatedRateWindow]) {
        self.method = method
        self.path = path
        self.windows = windows
    }
}

/// All rate limits the emulator enforces as Zscaler would (reference §5.2, §7.2, §8.4, §9.1).
/// Named apart from ZscalerAPI's `RateLimitPolicy`, the *client's* pacing, which must find these
/// limits out rather than share them.
///
/// The emulator counts a *violation* whenever a call arrives that a real Zscaler would have
/// refused under these limits. With `enforce` on (the default) every violation is also answered
/// with 429; with it off the call goes through and is only counted — useful to measure how far a
/// client overshoots.
///
/// The ZIA table is the reference's per-endpoint summary combined with the documented method-class
/// default (Light GET 2/s + 1000/h, Medium POST/PUT 1/s + 400/h, Heavy DELETE 1/min + 4/h) and the
/// 1/SECOND observed on list calls: where they disagree, all windows apply (the stricter reading).
/// The one exception is `/authenticatedSession`, where the summary names all three methods
/// explicitly (2/s, 1000/h) and the Heavy default for DELETE would make logging out implausible.
public struct EmulatedRateLimits: Sendable, Codable, Equatable {
    /// Answer violations with 429. Off: let them through and only count them.
    public var enforce: Bool = true
    /// Whether a call refused with 429 still uses up quota. Undocumented; off by default (a refused
    /// call does not count against the client), which is what most gateways do.
    public var refusedCallsConsumeQuota: Bool = false
    /// Per-endpoint ZIA limits; the first rule whose method and template match applies.
    public var zia: [EmulatedRateRule] = EmulatedRateLimits.documentedZIA
    /// Limits of a ZIA endpoint the table does not list, by method class.
    public var ziaLight: [EmulatedRateWindow] = [.perSecond(2), .perHour(1000)]
    public var ziaMedium: [EmulatedRateWindow] = [.perSecond(1), .perHour(400)]
    public var ziaHeavy: [EmulatedRateWindow] = [.perMinute(1), .perHour(4)]
    /// OneAPI's gateway limit per API client, advertised as `x-ratelimit-limit: 5000, 5000;w=60`
    /// on every OneAPI response [C2]. `nil` turns the gateway limit and its headers off.
    public var oneAPIGateway: EmulatedRateWindow? = .init(limit: 5000, seconds: 60)
    /// ZPA admin API, per customer: 20 GET per 10 s, 10 POST/PUT/DELETE per 10 s [C2].
    public var zpaRead: [EmulatedRateWindow] = [.init(limit: 20, seconds: 10)]
    public var zpaWrite: [EmulatedRateWindow] = [.init(limit: 10, seconds: 10)]
    /// ZPA SCIM server, per IdP: unpublished [C1]; ZIA SCIM's documented 5 requests/second is used
    /// as the stricter guess.
    public var zpaSCIM: [EmulatedRateWindow] = [.perSecond(5)]
    /// `Retry-After` for a 429 from a storm (fault), in real seconds.
    public var stormRetryAfterSeconds: Double = 1

    public init() {}

    /// The windows for a ZIA call, by route template (relative to the API base) and method.
    func ziaWindows(method: String, template: String) -> [EmulatedRateWindow] {
        if let rule = zia.first(where: { $0.method == method && $0.path == template }) { return rule.windows }
        switch method {
        case "GET", "HEAD": return ziaLight
        case "DELETE": return ziaHeavy
        default: return ziaMedium
        }
    }

    func validate() throws(EmulatorConfigurationError) {
        let all =
            zia.flatMap(\.windows) + ziaLight + ziaMedium + ziaHeavy + zpaRead + zpaWrite + zpaSCIM
            + (oneAPIGateway.map { [$0] } ?? [])
        for window in all where window.limit < 1 || !(window.seconds > 0) {
            throw .init("rate-limit window \(window) needs a limit ≥ 1 and a positive length")
        }
        guard stormRetryAfterSeconds >= 0 else { throw .init("stormRetryAfterSeconds must not be negative") }
    }

    /// The reference's table (§5.2) with the stricter combination described on the type.
    public static let documentedZIA: [EmulatedRateRule] = {
        let light: [EmulatedRateWindow] = [.perSecond(2), .perHour(1000)]
        let list: [EmulatedRateWindow] = [.perSecond(1), .perHour(1000)]
        let medium: [EmulatedRateWindow] = [.perSecond(1), .perHour(400)]
        let heavy: [EmulatedRateWindow] = [.perMinute(1), .perHour(4)]
        let session: [EmulatedRateWindow] = [.perSecond(2), .perHour(1000)]
        return [
            .init("GET", "/authenticatedSession", session),
            .init("POST", "/authenticatedSession", session),
            .init("DELETE", "/authenticatedSession", session),
            // Printed as 10/min, 40/h (possibly swapped with POST); 1/SECOND observed: all apply.
            .init("GET", "/users", [.perSecond(1), .perMinute(10), .perHour(40)]),
            .init("POST", "/users", medium),
            .init("GET", "/users/{userId}", light),
            .init("PUT", "/users/{userId}", medium),
            .init("DELETE", "/users/{userId}", heavy),
            .init("POST", "/users/bulkDelete", heavy),
            .init("GET", "/users/references", list),
            .init("GET", "/users/auditors", list),
            // Two rows printed (1/s + 400/h and 2/s + 1000/h): the stricter one.
            .init("GET", "/groups", [.perSecond(1), .perHour(400)]),
            .init("POST", "/groups", medium),
            .init("GET", "/groups/lite", list),
            .init("GET", "/groups/{groupId}", light),
            .init("GET", "/groups/lite/{groupId}", light),
            .init("PUT", "/groups/{groupId}", medium),
            .init("DELETE", "/groups/{groupId}", heavy),
            .init("GET", "/departments", list),
            .init("POST", "/departments", medium),
            .init("GET", "/departments/lite", list),
            .init("GET", "/departments/{departmentId}", light),
            .init("GET", "/departments/lite/{departmentId}", light),
            .init("PUT", "/departments/{departmentId}", medium),
            .init("DELETE", "/departments/{departmentId}", heavy),
            .init("GET", "/status", light),
            // 10/min, 40/h [C2] plus the Medium 1/s.
            .init("POST", "/status/activate", [.perSecond(1), .perMinute(10), .perHour(40)]),
        ]
    }()
}

extension Double {
    /// Decimal text without exponent or trailing zeros (`0.36`, `1`, `0.001`).
    func formatted(maxFractionDigits: Int) -> String {
        var text = String(format: "%.\(maxFractionDigits)f", self)
        if text.contains(".") {
            while text.hasSuffix("0") { text.removeLast() }
            if text.hasSuffix(".") { text.removeLast() }
        }
        return text
    }
}
