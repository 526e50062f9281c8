/// One window's tokens: `limit` of them; a call takes one, and the token comes back one period after
/// the call *finished* (or, with ``TokenReturn/afterSend``, after it was sent).
///
/// Why not the textbook bucket that refills at a steady rate: a steady refill lets `limit` calls through
/// at once and then more before the hour is over, so a server that counts a sliding or fixed window
/// (as Zscaler's "400/HOUR" reads) would see more than `limit` in some hour. Returning each token one
/// full period after its call ended means no window of that length, measured anywhere between client and
/// server, can hold more than `limit` calls: the server stamps a call between our send and our receive,
/// and the next call on that token is sent only after receive + period.
struct TokenBucket: Sendable {
    let window: RateLimitWindow
    let margin: Double
    /// Calls sent and not yet answered.
    private(set) var inFlight = 0
    /// When spent tokens come back, ascending (calls finish in clock order, so appends keep the order).
    private var returns: [Duration] = []
    private var head = 0

    init(window: RateLimitWindow, margin: Double) {
        self.window = window
        self.margin = margin
    }

    /// Drops the returns that are due.
    mutating func expire(now: Duration) {
        while head < returns.count, returns[head] <= now { head += 1 }
        if head > 64, head * 2 > returns.count {
            returns.removeFirst(head)
            head = 0
        }
    }

    var available: Int { window.limit - inFlight - (returns.count - head) }

    /// The earliest time a token comes back, or nil when every spent token is still in flight.
    var nextReturn: Duration? { head < returns.count ? returns[head] : nil }

    /// Spends a token at `now`. With ``TokenReturn/afterSend`` its return is booked at once; otherwise it
    /// stays in flight until ``finish(at:)``.
    mutating func take(at now: Duration, returning: TokenReturn) {
        switch returning {
        case .afterResponse: inFlight += 1
        case .afterSend: book(from: now)
        }
    }

    mutating func finish(at now: Duration, returning: TokenReturn) {
        guard returning == .afterResponse else { return }
        inFlight -= 1
        book(from: now)
    }

    private mutating func book(from now: Duration) {
        let due = now + window.period.scaled(by: 1 + max(margin, 0))
        // Keep the order even if a caller's clock reading is older than the last booking.
        returns.append(max(due, returns.last ?? due))
    }
}
