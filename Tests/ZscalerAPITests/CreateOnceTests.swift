import Testing

@testable import ZscalerAPI

/// The create-at-most-once loop on its own, with scripted outcomes in place of the network: after a
/// failure that leaves the outcome unknown it looks before it sends again, within the retry bounds.
@Suite("Creates are made at most once")
struct CreateOnceTests {
    static let retry = RetryPolicy(
        serverErrorRetries: 3, transportRetries: 2, baseDelay: .milliseconds(1), maximumDelay: .milliseconds(2))

    let pipeline: RequestPipeline = {
        let options = ClientOptions(rateLimits: RateLimitPolicy(windows: [:]), retry: CreateOnceTests.retry)
        return options.pipeline(
            baseURL: BaseURL(trusted: "http://127.0.0.1:9/api/v1"), httpClient: ZscalerHTTPClient.shared, logger: .silent,
            scrubber: SecretScrubber(), accept: "application/json"
        ).0
    }()

    static let unclear = ZscalerAPIError(.serverError, status: 500, message: "server error", mayHaveBeenApplied: true)
    static let dropped = ZscalerAPIError(.transport, message: "connection closed", mayHaveBeenApplied: true)
    static let duplicate = ZscalerAPIError(.http, status: 409, zscalerCode: .duplicateItem, message: "exists")

    /// Runs `createOnce` with `outcomes` for successive sends (the last repeats) and `found` for
    /// successive lookups; returns the result and how often each closure ran.
    func run(sends outcomes: [Result<String, ZscalerAPIError>], lookups found: [Result<String?, ZscalerAPIError>] = [.success(nil)])
        async -> (result: Result<String, ZscalerAPIError>, sends: Int, lookups: Int)
    {
        let sends = Locked(0)
        let lookups = Locked(0)
        let result: Result<String, ZscalerAPIError>
        do {
            result = .success(
                try await pipeline.createOnce("POST /users") { () async throws(ZscalerAPIError) -> String in
                    let index = sends.withLock { count in
                        count += 1
                        return count - 1
                    }
                    return try outcomes[min(index, outcomes.count - 1)].get()
                } lookUp: { () async throws(ZscalerAPIError) -> String? in
                    let index = lookups.withLock { count in
                        count += 1
                        return count - 1
                    }
                    return try found[min(index, found.count - 1)].get()
                })
        } catch {
            result = .failure(error)
        }
        return (result, sends.value, lookups.value)
    }

    @Test("a create that landed although its answer was lost is found, not sent again")
    func foundAfterUnclearFailure() async throws {
        let run = await run(sends: [.failure(Self.unclear), .success("second")], lookups: [.success("first")])
        #expect(try run.result.get() == "first")
        #expect(run.sends == 1 && run.lookups == 1)
    }

    @Test("nothing found: sent again, and the second create's answer is returned")
    func resentWhenNotFound() async throws {
        let run = await run(sends: [.failure(Self.dropped), .success("made")])
        #expect(try run.result.get() == "made")
        #expect(run.sends == 2 && run.lookups == 1)
    }

    @Test("unclear failures that keep coming give up after the policy's bound, with every attempt counted")
    func bounded() async {
        let run = await run(sends: [.failure(Self.unclear)])
        #expect(run.sends == Self.retry.serverErrorRetries + 1 && run.lookups == Self.retry.serverErrorRetries)
        guard case .failure(let error) = run.result else {
            Issue.record("succeeded")
            return
        }
        #expect(error.kind == .serverError && error.mayHaveBeenApplied && error.attempts == Self.retry.serverErrorRetries + 1)
    }

    @Test("a failure that says nothing was applied is returned at once, without a lookup")
    func clearFailure() async {
        let run = await run(sends: [.failure(Self.duplicate)])
        #expect(run.sends == 1 && run.lookups == 0)
        guard case .failure(let error) = run.result else {
            Issue.record("succeeded")
            return
        }
        #expect(error.isDuplicate)
    }

    @Test("DUPLICATE_ITEM after an unclear failure means the first attempt landed: the lookup answers it")
    func duplicateAfterUnclearFailure() async throws {
        let run = await run(
            sends: [.failure(Self.unclear), .failure(Self.duplicate)], lookups: [.success(nil), .success("first")])
        #expect(try run.result.get() == "first")
        #expect(run.sends == 2 && run.lookups == 2)
    }

    @Test("a lookup that fails leaves the create's own error, outcome unknown")
    func lookupFails() async {
        let run = await run(
            sends: [.failure(Self.unclear)], lookups: [.failure(ZscalerAPIError(.rateLimited, status: 429, message: "slow down"))])
        guard case .failure(let error) = run.result else {
            Issue.record("succeeded")
            return
        }
        #expect(error.kind == .serverError && error.mayHaveBeenApplied && error.message.contains("rateLimited"))
        #expect(run.sends == 1 && run.lookups == 1)
    }
}
