import Testing
import ZscalerAPI
import ZscalerEmulator

extension ZscalerAPIIntegration {
    /// Creates against the emulator with a relay in front that loses answers: whatever is lost, and
    /// when, the tenant ends with exactly one object and the caller gets it.
    @Suite("Creates made at most once, against the emulator")
    struct SafeCreateIntegrationTests {
        /// How the answer to a create that the emulator applied is lost on its way back.
        enum Loss: String, Sendable, CaseIterable, CustomStringConvertible {
            case droppedConnection, serverError
            var description: String { rawValue }
            var reply: LoopbackHTTPServer.Reply { self == .droppedConnection ? .drop : EmulatorRelay.unexpectedError }
        }

        static let department = ZIAReference(id: 25_000_001)

        static func grace(_ email: String = "grace@example.com") -> ZIAUser {
            ZIAUser(name: "Grace Hopper", email: email, department: department, password: "Str0ng!Passw0rd")
        }

        @Test("a POST /users applied by Zscaler whose answer is lost ends with one user, returned to the caller", arguments: Loss.allCases)
        func answerLostAfterApplied(_ loss: Loss) async throws {
            try await EmulatorHarness.with { harness in
                let seen = Occurrences()
                let relay = try EmulatorRelay.start(for: harness) { request in
                    guard request.route == "POST /api/v1/users", seen.next(request.route) == 1 else { return .pass }
                    return .afterwards { _ in loss.reply }
                }
                defer { relay.stop() }
                let client = try harness.relayed(through: relay.port).ziaLegacy()
                let created = try await client.createUser(Self.grace())
                #expect(created.id != nil && created.email == "grace@example.com")
                #expect(harness.calls("POST /api/v1/users") == 1, "found by the lookup, not created again")
                #expect(harness.calls("GET /api/v1/users") == 1, "one name search")
                #expect(harness.statusCount("POST /api/v1/users", 409) == 0, "no DUPLICATE_ITEM")

                let direct = try harness.ziaLegacy(limiter: client.limiter)
                let graces = try await direct.users(name: "Grace Hopper").collect().filter { $0.email == "grace@example.com" }
                #expect(graces.map(\.id) == [created.id], "exactly one user in the emulator")
            }
        }

        @Test("a POST /users lost before it reached Zscaler is sent again once the lookup finds nothing")
        func answerLostBeforeApplied() async throws {
            try await EmulatorHarness.with { harness in
                let seen = Occurrences()
                let relay = try EmulatorRelay.start(for: harness) { request in
                    request.route == "POST /api/v1/users" && seen.next(request.route) == 1 ? .instead(.drop) : .pass
                }
                defer { relay.stop() }
                let client = try harness.relayed(through: relay.port).ziaLegacy()
                let created = try await client.createUser(Self.grace())
                #expect(created.id != nil)
                #expect(relay.requests("POST /api/v1/users") == 2 && harness.calls("POST /api/v1/users") == 1)
                #expect(harness.calls("GET /api/v1/users") == 1)
                let graces = try await client.users(name: "Grace Hopper").collect().filter { $0.email == "grace@example.com" }
                #expect(graces.map(\.id) == [created.id])
            }
        }

        @Test("DUPLICATE_ITEM on the resend after an unclear failure is answered by looking again")
        func duplicateOnResend() async throws {
            try await EmulatorHarness.with { harness in
                let seen = Occurrences()
                let relay = try EmulatorRelay.start(for: harness) { request in
                    switch (request.route, seen.next(request.route)) {
                    case ("POST /api/v1/users", 1): .afterwards { _ in EmulatorRelay.unexpectedError }
                    // The first lookup misses (a search index lagging behind, say), so the client sends again.
                    case ("GET /api/v1/users", 1): .instead(.respond(.json(200, "[]")))
                    default: .pass
                    }
                }
                defer { relay.stop() }
                let client = try harness.relayed(through: relay.port).ziaLegacy()
                let created = try await client.createUser(Self.grace())
                #expect(created.id != nil && created.email == "grace@example.com")
                #expect(harness.calls("POST /api/v1/users") == 2 && harness.statusCount("POST /api/v1/users", 409) == 1)
                #expect(relay.requests("GET /api/v1/users") == 2)
                let graces = try await client.users(name: "Grace Hopper").collect().filter { $0.email == "grace@example.com" }
                #expect(graces.map(\.id) == [created.id])
            }
        }

        @Test("groups and departments whose answers are lost are found by name, not made twice")
        func groupsAndDepartments() async throws {
            try await EmulatorHarness.with { harness in
                let seen = Occurrences()
                let relay = try EmulatorRelay.start(for: harness) { request in
                    switch (request.route, seen.next(request.route)) {
                    case ("POST /zia/api/v1/groups", 1): .afterwards { _ in .drop }
                    case ("POST /zia/api/v1/departments", 1): .afterwards { _ in EmulatorRelay.unexpectedError }
                    default: .pass
                    }
                }
                defer { relay.stop() }
                let client = try harness.relayed(through: relay.port).ziaOneAPI()
                let group = try await client.createGroup(ZIAGroup(name: "Contractors", comments: "time-bound access"))
                let department = try await client.createDepartment(ZIADepartment(name: "Finance"))
                #expect(group.id != nil && department.id != nil)
                #expect(harness.calls("POST /zia/api/v1/groups") == 1 && harness.calls("POST /zia/api/v1/departments") == 1)
                #expect(try await client.groups(search: "Contractors").collect().map(\.id) == [group.id])
                #expect(try await client.departments(search: "Finance", limitSearch: true).collect().map(\.id) == [department.id])
            }
        }

        @Test("DUPLICATE_ITEM is recognised by its code, and findUser adopts the existing user", arguments: [409, 400])
        func duplicateAndFindUser(_ status: Int) async throws {
            try await EmulatorHarness.with(configure: { $0.zia.duplicateStatus = status }) { harness in
                let client = try harness.ziaLegacy()
                let existing = try await client.createUser(Self.grace())
                do throws(ZscalerAPIError) {
                    _ = try await client.createUser(Self.grace())
                    Issue.record("created a second user with the same email")
                } catch {
                    #expect(error.isDuplicate && error.status == status && error.zscalerCode == .duplicateItem, "\(error)")
                    #expect(error.kind == .http && error.attempts == 1 && !error.mayHaveBeenApplied)
                }
                #expect(harness.calls("GET /api/v1/users") == 0, "a plain duplicate does not search")

                let found = try await client.findUser(email: "GRACE@Example.com", name: "Grace Hopper")
                #expect(found?.id == existing.id)
                #expect(try await client.findUser(email: "someone.else@example.com", name: "Grace") == nil)
                #expect(harness.calls("GET /api/v1/users") == 2)

                do throws(ZscalerAPIError) {
                    _ = try await client.createUser(
                        ZIAUser(name: "Lost", email: "lost@example.com", department: ZIAReference(id: 1), password: "Str0ng!Passw0rd"))
                    Issue.record("created a user in a department that does not exist")
                } catch {
                    #expect(!error.isDuplicate, "\(error)")
                }
            }
        }

        @Test("an edit lock held longer than the ceiling fails at once with editLocked and retryAfter")
        func editLockBeyondCeiling() async throws {
            try await EmulatorHarness.with { harness in
                // The emulator's 409 says nothing of how long; the relay adds what a server could say.
                let relay = try EmulatorRelay.start(for: harness) { _ in
                    .afterwards { answer in
                        guard answer.status == 409 else { return .respond(answer) }
                        var held = answer
                        held.headers.append(("Retry-After", "30"))
                        return .respond(held)
                    }
                }
                defer { relay.stop() }
                let client = try harness.relayed(through: relay.port).ziaLegacy()
                try await client.authenticate()
                harness.emulator.holdEditLock(for: .seconds(30))
                let start = ContinuousClock.now
                do throws(ZscalerAPIError) {
                    _ = try await client.createUser(Self.grace())
                    Issue.record("created while the lock was held")
                } catch {
                    #expect(error.kind == .editLocked && error.status == 409 && error.zscalerCode == .editLockNotAvailable, "\(error)")
                    #expect(error.retryAfter == .seconds(30) && error.attempts == 1)
                }
                // The ceiling is RetryPolicy.default.maximumRetryAfter (300 s) at time scale 0.01: 3 s.
                #expect(ContinuousClock.now - start < .seconds(2), "failed fast, not after waiting")
                #expect(harness.calls("POST /api/v1/users") == 1)
            }
        }
    }
}
