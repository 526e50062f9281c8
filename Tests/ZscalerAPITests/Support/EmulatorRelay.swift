/// A ``LoopbackHTTPServer`` in front of the emulator: it passes every request on unless the test's
/// `decide` says otherwise, so a test can lose an answer *after* the emulator applied the request,
/// which the emulator's own faults (decided before its handlers run) cannot do.
enum EmulatorRelay {
    enum Action: Sendable {
        /// Pass the request on and deliver the emulator's answer.
        case pass
        /// Answer (or drop) without passing the request on: the emulator never sees it.
        case instead(LoopbackHTTPServer.Reply)
        /// Pass the request on, so the emulator applies it, then give the client this instead.
        case afterwards(@Sendable (LoopbackHTTPServer.Response) -> LoopbackHTTPServer.Reply)
    }

    /// - Parameter decide: called once per request, on the relay's own thread.
    static func start(for harness: EmulatorHarness, _ decide: @escaping @Sendable (LoopbackHTTPServer.Request) -> Action) throws
        -> LoopbackHTTPServer
    {
        let upstream = harness.port
        return try LoopbackHTTPServer { request in
            let action = decide(request)
            if case .instead(let reply) = action { return reply }
            guard let answer = LoopbackHTTPServer.exchange(request, port: upstream) else { return .drop }
            if case .afterwards(let replace) = action { return replace(answer) }
            return .respond(answer)
        }
    }

    /// What ZIA sends with a 5xx (reference §5.1).
    static let unexpectedError = LoopbackHTTPServer.Reply.respond(
        .json(500, #"{"code":"UNEXPECTED_ERROR","message":"An unexpected error has occurred, please contact Zscaler's support"}"#))
}

/// Counts events per key across the relay's threads (the first POST, the second GET, …).
final class Occurrences: Sendable {
    private let counts = Locked<[String: Int]>([:])

    /// 1 the first time `key` is seen, 2 the second, and so on.
    func next(_ key: String) -> Int {
        counts.withLock { counts in
            counts[key, default: 0] += 1
            return counts[key]!
        }
    }
}
