/// Which rate budget a call spends. Zscaler limits by endpoint and weight (reference §5.2); the client
/// groups endpoints into classes so that one bucket set covers every endpoint of a class. A class is
/// stricter than the per-endpoint rules it stands for, never looser.
public struct MethodClass: Hashable, Sendable, CustomStringConvertible {
    public let rawValue: String
    public init(_ rawValue: String) { self.rawValue = rawValue }
    public var description: String { rawValue }

    /// GET of collections (`/groups`, `/departments`, ZPA lists). ZIA list calls were seen throttled
    /// at 1/SECOND although the table says 2/s (§5.2 caveat).
    public static let list = MethodClass("list")
    /// `GET /users`, printed in the rate table as 10/min and 40/h (§5.2) on top of the observed 1/s.
    public static let userList = MethodClass("userList")
    /// GET of one object, `/status`.
    public static let read = MethodClass("read")
    /// POST and PUT ("Medium").
    public static let write = MethodClass("write")
    /// DELETE of one object ("Heavy").
    public static let delete = MethodClass("delete")
    /// `POST /users/bulkDelete`.
    public static let bulkDelete = MethodClass("bulkDelete")
    /// `POST /status/activate`.
    public static let activation = MethodClass("activation")
    /// `/authenticatedSession` (login, check, logout) and ZPA `/signin`.
    public static let session = MethodClass("session")
    /// The ZIdentity token endpoint: no documented limit, so no bucket unless configured.
    public static let token = MethodClass("token")
}

/// One limit: at most `limit` calls in any window of `period`.
public struct RateLimitWindow: Hashable, Sendable, CustomStringConvertible {
    public var limit: Int
    public var period: Duration

    public init(_ limit: Int, per period: Duration) {
        self.limit = limit
        self.period = period
    }

    public static func perSecond(_ n: Int) -> RateLimitWindow { .init(n, per: .seconds(1)) }
    public static func perMinute(_ n: Int) -> RateLimitWindow { .init(n, per: .seconds(60)) }
    public static func perHour(_ n: Int) -> RateLimitWindow { .init(n, per: .seconds(3600)) }

    /// Calls per second this window allows over the long run.
    public var sustainedRate: Double { Double(limit) / period.seconds }

    public var description: String { "\(limit)/\(period)" }
}

/// When a spent token comes back.
public enum TokenReturn: Sendable, Hashable {
    /// One period after the call's *answer* arrived. The server stamps a call somewhere between our send
    /// and our receive, so no window it measures can ever hold more than the limit, whatever the
    /// network does. Costs the round-trip time per token cycle (a 1/s class with 200 ms latency
    /// achieves about 0.83/s). The default.
    case afterResponse
    /// One period after the call was *sent*. Full speed, but a call delayed more than `margin × period`
    /// on its way in can land in the same server window as the next one: use with a margin that covers
    /// the network's jitter.
    case afterSend
}

/// The windows of every method class for one API. Classes without windows are unlimited.
public struct RateLimitPolicy: Sendable, Hashable {
    public var windows: [MethodClass: [RateLimitWindow]]
    /// See ``TokenReturn``.
    public var tokenReturn: TokenReturn
    /// Extra spacing as a fraction of each window: a spent token returns `period × (1 + margin)` after its
    /// call finished. Absorbs clock granularity between the two ends.
    public var margin: Double

    /// Classes that spend another class's buckets (a server that counts several methods together).
    public var aliases: [MethodClass: MethodClass]

    public init(
        windows: [MethodClass: [RateLimitWindow]], aliases: [MethodClass: MethodClass] = [:], margin: Double = 0.01,
        tokenReturn: TokenReturn = .afterResponse
    ) {
        self.windows = windows
        self.aliases = aliases
        self.margin = margin
        self.tokenReturn = tokenReturn
    }

    /// ZIA (legacy and OneAPI), from reference §5.2 and §6. Where the reference disagrees with itself
    /// every figure applies (the stricter reading, as the emulator does): `GET /users` at 1/s, 10/min
    /// and 40/h (the printed row plus the observed 1/SECOND); other lists at 1/s and the lower hourly
    /// figure printed for `/groups` (400/h); single DELETE at the "Heavy" weight (1/min, 4/h);
    /// activation at 10/min, 40/h plus the "Medium" 1/s. A class covers several endpoints, so the
    /// client is never looser than any one of them.
    public static let zia = RateLimitPolicy(windows: [
        .userList: [.perSecond(1), .perMinute(10), .perHour(40)],
        .list: [.perSecond(1), .perHour(400)],
        .read: [.perSecond(2), .perHour(1000)],
        .write: [.perSecond(1), .perHour(400)],
        .delete: [.perMinute(1), .perHour(4)],
        .bulkDelete: [.perMinute(1), .perHour(4)],
        .activation: [.perSecond(1), .perMinute(10), .perHour(40)],
        .session: [.perSecond(2), .perHour(1000)],
    ])

    /// ZPA management APIs (§8.4): 20 GET and 10 POST/PUT/DELETE per 10 seconds per customer. Sign-in
    /// and sign-out are POSTs, so they spend the write budget.
    public static let zpa = RateLimitPolicy(
        windows: [
            MethodClass("zpaRead"): [.init(20, per: .seconds(10))],
            MethodClass("zpaWrite"): [.init(10, per: .seconds(10))],
        ],
        aliases: [
            .list: MethodClass("zpaRead"), .read: MethodClass("zpaRead"), .userList: MethodClass("zpaRead"),
            .write: MethodClass("zpaWrite"), .delete: MethodClass("zpaWrite"), .session: MethodClass("zpaWrite"),
        ])

    /// ZPA's per-IdP SCIM server: its limit is unpublished (§9.2), so we assume ZIA SCIM's 5 requests/s
    /// (§9.1) for every method together. [INF]
    public static let zpaSCIM = RateLimitPolicy(
        windows: [MethodClass("scim"): [.perSecond(5)]],
        aliases: [
            .list: MethodClass("scim"), .read: MethodClass("scim"), .write: MethodClass("scim"), .delete: MethodClass("scim"),
        ])

    /// The class whose buckets `methodClass` spends.
    public func bucketClass(for methodClass: MethodClass) -> MethodClass { aliases[methodClass] ?? methodClass }

    /// All periods multiplied by `factor`: at time scale 0.01 an hour lasts 36 real seconds.
    public func scaled(by factor: Double) -> RateLimitPolicy {
        guard factor != 1 else { return self }
        var copy = self
        copy.windows = windows.mapValues { $0.map { RateLimitWindow($0.limit, per: $0.period.scaled(by: factor)) } }
        return copy
    }

    /// The tightest sustained rate of a class (calls per second), for reporting.
    public func sustainedRate(_ methodClass: MethodClass) -> Double? {
        windows[bucketClass(for: methodClass)]?.map(\.sustainedRate).min()
    }
}
