import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// Pacing, throttling, the edit lock and failures against the real emulator and its fault injection.
    @Suite("Rate limits and retries against the emulator")
    struct ResilienceIntegrationTests {
        @Test("running flat out on every method class, the client never breaks a limit")
        func pacingFlatOut() async throws {
            try await EmulatorHarness.with(timeScale: 0.005, seed: .generated(userCount: 300)) { harness in
                let client = try harness.ziaLegacy()
                let users = try await client.users(pageSize: 1000).collect().filter { ($0.id ?? 0) >= 40_000_000 }
                let deadline = ContinuousClock.now + .milliseconds(1000)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    // Several workers per class, as a reconciler with many dirty objects would run.
                    for worker in 0..<2 {
                        group.addTask {
                            try await Self.flatOut(until: deadline) { index throws(ZscalerAPIError) in
                                _ = try await client.user(id: users[(index * 2 + worker) % users.count].id!)
                            }
                        }
                        group.addTask {
                            try await Self.flatOut(until: deadline) { index throws(ZscalerAPIError) in
                                var user = users[(index * 2 + worker) % users.count]
                                user.comments = "touched \(index)"
                                _ = try await client.updateUser(user)
                            }
                        }
                        group.addTask {
                            try await Self.flatOut(until: deadline) { _ throws(ZscalerAPIError) in
                                _ = try await client.groups(pageSize: 1000).collect()
                            }
                        }
                    }
                    group.addTask { try await Self.flatOut(until: deadline) { _ throws(ZscalerAPIError) in try await client.activate() } }
                    try await group.waitForAll()
                }
                let totals = harness.emulator.counters.totals
                #expect(totals.limitViolations == 0)
                #expect(totals.tooManyRequests == 0)
                #expect(harness.calls("PUT /api/v1/users/{userId}") > 0 && harness.calls("GET /api/v1/users/{userId}") > 0)
                #expect(harness.calls("POST /api/v1/status/activate") > 0)
            }
        }

        /// Calls `body` until `deadline`, or until the class's hourly budget is spent (which the client
        /// reports instead of waiting past its maximum wait).
        static func flatOut(until deadline: ContinuousClock.Instant, _ body: @Sendable (Int) async throws(ZscalerAPIError) -> Void)
            async throws(ZscalerAPIError)
        {
            var index = 0
            while ContinuousClock.now < deadline {
                do { try await body(index) } catch  where error.kind == .hourlyBudgetExhausted { return }
                index += 1
            }
        }

        @Test("429 storm: Retry-After is waited out, not hammered")
        func retryAfterHonoured() async throws {
            try await EmulatorHarness.with(configure: { $0.rateLimits.stormRetryAfterSeconds = 0.2 }) { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                harness.emulator.startStorm(for: .milliseconds(300))
                let start = ContinuousClock.now
                _ = try await client.activationStatus()
                let elapsed = ContinuousClock.now - start
                #expect(elapsed >= .milliseconds(300), "the call cannot succeed before the storm ends")
                let storm = harness.emulator.counters.totals.stormResponses
                #expect(storm >= 1 && storm <= 2, "with Retry-After 0.2 s a 0.3 s storm costs at most two 429s, not \(storm)")
            }
        }

        @Test("a Retry-After longer than the client waits fails at once with retryAfter set")
        func retryAfterTooLong() async throws {
            try await EmulatorHarness.with(configure: { $0.rateLimits.stormRetryAfterSeconds = 30 }) { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                harness.emulator.startStorm(for: .seconds(5))
                do throws(ZscalerAPIError) {
                    _ = try await client.activationStatus()
                    Issue.record("succeeded during a storm")
                } catch {
                    #expect(error.kind == .rateLimited && error.retryAfter == .seconds(30) && error.attempts == 1)
                }
            }
        }

        @Test("401 Resource Access Blocked is throttling: backed off and retried")
        func resourceAccessBlocked() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                var faults = FaultSettings()
                faults.resourceAccessBlockedRate = 0.5
                faults.pathPrefix = "/api/v1/status"
                try harness.emulator.setFaults(faults)
                for _ in 0..<10 { _ = try await client.activationStatus() }
                #expect(harness.emulator.counters.totals.resourceAccessBlocked > 0)
                #expect(await client.authenticationCount() == 1, "not mistaken for an expired session")
            }
        }

        @Test("409 edit lock is retried until the lock is free; a lock that stays held ends in editLocked")
        func editLock() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                harness.emulator.holdEditLock(for: .milliseconds(150))
                let created = try await client.createUser(
                    ZIAUser(
                        name: "Locked Out", email: "locked@example.com", department: ZIAReference(id: 25_000_001),
                        password: "Str0ng!Passw0rd"))
                #expect(created.id != nil)
                #expect(harness.emulator.counters.totals.editLockConflicts >= 1)

                // A second client of the same tenant must spend the same budget.
                let impatient = try harness.ziaLegacy(retry: RetryPolicy(editLockRetries: 2), limiter: client.limiter)
                harness.emulator.holdEditLock(for: .seconds(10))
                do throws(ZscalerAPIError) {
                    _ = try await impatient.createUser(
                        ZIAUser(
                            name: "Never", email: "never@example.com", department: ZIAReference(id: 25_000_001), password: "Str0ng!Passw0rd"
                        ))
                    Issue.record("created while the lock was held")
                } catch {
                    #expect(error.kind == .editLocked && error.status == 409 && error.zscalerCode == .editLockNotAvailable)
                    #expect(error.attempts == 3, "\(error)")
                }
                #expect(harness.emulator.counters.totals.limitViolations == 0)
            }
        }

        @Test("5xx and dropped connections are retried with backoff; a persistent 5xx gives up after the bound")
        func serverErrors() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                try await client.authenticate()
                var faults = FaultSettings()
                faults.serverErrorRate = 0.4
                faults.dropConnectionRate = 0.2
                faults.pathPrefix = "/api/v1/status"
                try harness.emulator.setFaults(faults)
                for _ in 0..<12 { _ = try await client.activationStatus() }
                let totals = harness.emulator.counters.totals
                #expect(totals.injectedServerErrors > 0 && totals.droppedConnections > 0)

                faults.serverErrorRate = 1
                faults.dropConnectionRate = 0
                try harness.emulator.setFaults(faults)
                let before = harness.calls("GET /api/v1/status")
                do throws(ZscalerAPIError) {
                    _ = try await client.activationStatus()
                    Issue.record("succeeded against a server that always fails")
                } catch {
                    #expect(error.kind == .serverError && error.status == 500 && error.zscalerCode == .unexpectedError)
                    #expect(error.attempts == RetryPolicy.default.serverErrorRetries + 1)
                }
                #expect(harness.calls("GET /api/v1/status") - before == RetryPolicy.default.serverErrorRetries + 1)
            }
        }

        @Test("4xx answers are returned at once, never retried")
        func clientErrorsNotRetried() async throws {
            try await EmulatorHarness.with { harness in
                let client = try harness.ziaLegacy()
                let cases: [(ZIAUser, ZscalerErrorCode?)] = [
                    // Domain the org does not own.
                    (
                        ZIAUser(
                            name: "Outsider", email: "x@elsewhere.test", department: ZIAReference(id: 25_000_001),
                            password: "Str0ng!Passw0rd"),
                        nil
                    ),
                    // Duplicate email: 409 DUPLICATE_ITEM must not be mistaken for the edit lock.
                    (
                        ZIAUser(
                            name: "Twin", email: "user1@example.com", department: ZIAReference(id: 25_000_001), password: "Str0ng!Passw0rd"),
                        .duplicateItem
                    ),
                    // Unknown department.
                    (ZIAUser(name: "Lost", email: "lost@example.com", department: ZIAReference(id: 1), password: "Str0ng!Passw0rd"), nil),
                ]
                for (user, code) in cases {
                    do throws(ZscalerAPIError) {
                        _ = try await client.createUser(user)
                        Issue.record("\(user.email) was accepted")
                    } catch {
                        #expect(error.kind == .http && error.attempts == 1, "\(user.email): \(error)")
                        #expect((400..<500).contains(error.status ?? 0))
                        if let code { #expect(error.zscalerCode == code) }
                    }
                }
                #expect(harness.calls("POST /api/v1/users") == cases.count)
                // Bad input the client can see is refused before any call.
                await #expect(throws: ZscalerAPIError.self) {
                    try await client.createUser(ZIAUser(name: "", email: "a@example.com", department: ZIAReference(id: 25_000_001)))
                }
                await #expect(throws: ZscalerAPIError.self) {
                    try await client.createUser(
                        ZIAUser(
                            name: "Too many", email: "b@example.com", groups: (0..<128).map { ZIAReference(id: $0) },
                            department: ZIAReference(id: 1)))
                }
                #expect(harness.calls("POST /api/v1/users") == cases.count)
            }
        }
    }
}
