import Foundation
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreContract
import Synchronization
import Testing
import ZscalerAPI

/// The reconciler's decisions (DESIGN §2, issue 7), checked against the in-memory store and an
/// in-memory ZIA on a virtual clock: which calls it makes, in which order, and when. No socket,
/// no sleep: a five-second debounce or an hour's rate budget is a clock assignment, so every
/// expectation is exact ("one PUT", "none before the delay") rather than "eventually".
///
/// Changes enter the store the way the SCIM service commits them (one `Change` per write, the
/// lane the service would choose); a few tests go through `SCIMService` itself so that its lane
/// choices and the reconciler's are checked together.
@Suite("Reconciler decisions: coalescing, lanes, batching, debounce, recovery, policies")
struct ReconcilerDecisionTests {

    // MARK: - Coalescing

    @Test("ten membership PATCHes to a new user before a round become one create with all ten groups")
    func coalescesIntoOneCreate() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: (0..<10).map { "Team \($0)" })
        let service = try fx.service()
        let groupIDs = try await (0..<10).asyncMap { try await fx.scimCreateGroup(service, "Team \($0)") }
        try await fx.settle()
        fx.fake.clearLog()

        let user = try await fx.scimCreateUser(service, "ada@example.com", displayName: "Ada Lovelace")
        for groupID in groupIDs { try await fx.scimAddMember(service, groupID: groupID, userID: user) }
        try await fx.settle()

        #expect(fx.fake.count(.createUser) == 1)
        #expect(fx.fake.count(.updateUser) == 0)
        let zia = try #require(fx.fake.user(email: "ada@example.com"))
        #expect(Set(zia.groups.map(\.id)) == Set((0..<10).compactMap { fx.fake.groupID(named: "Team \($0)") }))
        #expect(try await fx.row(.user, user)?.state == .synced)
    }

    @Test("ten membership PATCHes to a synced user become one GET and one PUT, then one activation")
    func coalescesIntoOnePut() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: (0..<10).map { "Team \($0)" })
        let service = try fx.service()
        let groupIDs = try await (0..<10).asyncMap { try await fx.scimCreateGroup(service, "Team \($0)") }
        let user = try await fx.scimCreateUser(service, "ada@example.com", displayName: "Ada Lovelace")
        try await fx.settle()
        let ziaID = try await fx.ziaID(user)
        fx.fake.clearLog()

        // Six joins and four leaves, one PATCH each (leaves go in the priority lane: same row).
        for groupID in groupIDs { try await fx.scimAddMember(service, groupID: groupID, userID: user) }
        for groupID in groupIDs.prefix(4) { try await fx.scimRemoveMember(service, groupID: groupID, userID: user) }
        try await fx.settle()

        #expect(
            fx.fake.calls == [.init(method: .getUser, ids: [ziaID]), .init(method: .updateUser, ids: [ziaID]), .init(method: .activate)])
        let zia = try #require(fx.fake.user(email: "ada@example.com"))
        #expect(Set(zia.groups.map(\.id)) == Set((4..<10).compactMap { fx.fake.groupID(named: "Team \($0)") }))
    }

    // MARK: - Lanes

    @Test("a deactivation through SCIM overtakes 50 queued bulk creates: it is the next round's first call")
    func deactivationOvertakesBulk() async throws {
        let fx = try await ReconcilerFixture()
        let service = try fx.service()
        let victim = try await fx.scimCreateUser(service, "leaver@example.com", displayName: "Leaver")
        try await fx.settle()
        let victimZIA = try await fx.ziaID(victim)
        fx.fake.clearLog()

        for i in 0..<50 { _ = try await fx.scimCreateUser(service, "new\(i)@example.com", displayName: "New \(i)") }
        fx.clock.advance(seconds: 1)
        try await fx.scimPatch(service, .user, victim, #"{"op":"replace","path":"active","value":false}"#)
        #expect(try await fx.row(.user, victim)?.lane == .priority)

        await fx.round()
        let userCalls = fx.fake.calls.filter { [.getUser, .updateUser, .createUser].contains($0.method) }
        #expect(Array(userCalls.prefix(2)) == [.init(method: .getUser, ids: [victimZIA]), .init(method: .updateUser, ids: [victimZIA])])
        #expect(fx.fake.user(email: "leaver@example.com")?.disabled == true)
        // The rest of the round went to bulk work, which is still mostly queued.
        #expect(fx.fake.count(.createUser) == fx.settings.batchSize - 1)
        try await fx.settle()
        #expect(fx.fake.count(.createUser) == 50)
    }

    @Test("a deactivation committed while a bulk round runs cuts that round short (wake(lane: .priority))")
    func priorityWakeCutsRoundShort() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("victim", "victim@example.com")
        try await fx.settle()
        let victimZIA = try await fx.ziaID("victim")
        fx.fake.clearLog()
        for i in 0..<50 { try await fx.createUser("bulk\(i)", "bulk\(i)@example.com") }

        // During the third create, the SCIM side deactivates the victim and wakes the reconciler.
        let (store, tenantID, clock, fake, reconciler) = (fx.store, fx.tenantID, fx.clock, fx.fake, fx.reconciler)
        fake.onCall(.createUser) { _ in
            guard fake.count(.createUser) == 3 else { return }
            try? await SCIMWrites.update(store, tenantID: tenantID, at: clock.scimNow, .user, "victim", lane: .priority) {
                $0["active"] = false
            }
            await reconciler.wake(lane: .priority)
        }
        await fx.round()
        fake.onCall(.createUser, nil)
        #expect(fake.count(.createUser) == 3, "the round stops taking bulk rows once a priority change is waiting")

        await fx.round()
        let next = Array(fake.calls.dropFirst(3).prefix(2))
        #expect(next == [.init(method: .getUser, ids: [victimZIA]), .init(method: .updateUser, ids: [victimZIA])])
        #expect(fake.user(email: "victim@example.com")?.disabled == true)
    }

    @Test("a removal from a group is deprovisioning: priority lane, ahead of queued creates")
    func groupRemovalIsPriority() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: ["Finance"])
        try await fx.createGroup("finance", "Finance")
        try await fx.createUser("m", "m@example.com")
        try await fx.addMembers("finance", ["m"])
        try await fx.settle()
        let ziaID = try await fx.ziaID("m")
        fx.fake.clearLog()

        for i in 0..<20 { try await fx.createUser("bulk\(i)", "bulk\(i)@example.com") }
        fx.clock.advance(seconds: 1)
        try await fx.removeMembers("finance", ["m"])
        #expect(try await fx.row(.user, "m")?.lane == .priority)

        await fx.round()
        #expect(Array(fx.fake.calls.prefix(2)) == [.init(method: .getUser, ids: [ziaID]), .init(method: .updateUser, ids: [ziaID])])
        #expect(fx.fake.user(email: "m@example.com")?.groups.isEmpty == true)
        #expect(fx.fake.calls.prefix(3).last?.method == .createUser)
    }

    @Test("the priority reserve: bulk stops at (1 - reserve) of writesPerHour, a deactivation still goes through")
    func priorityReserve() async throws {
        let fx = try await ReconcilerFixture(
            policy: { $0.priorityReserve = 0.1 },
            settings: { $0.writesPerHour = 20 })
        let bulkShare = 18  // 20 × (1 − 0.1)
        try await fx.createUser("victim", "victim@example.com")
        try await fx.settle()  // write 1 of the hour
        fx.fake.clearLog()

        for i in 0..<30 { try await fx.createUser("bulk\(i)", "bulk\(i)@example.com") }
        for _ in 0..<6 {
            await fx.round()
            fx.clock.advance(seconds: 1)
        }
        #expect(fx.fake.count(.createUser) == bulkShare - 1)
        #expect(try await fx.store.dueSyncRecords(tenantID: fx.tenantID, now: fx.clock.nowMillis, limit: -1).count == 30 - (bulkShare - 1))

        let victimZIA = try await fx.ziaID("victim")
        try await fx.deactivate("victim")
        await fx.round()
        #expect(fx.fake.calls(.updateUser).map(\.ids) == [[victimZIA]])
        #expect(fx.fake.user(email: "victim@example.com")?.disabled == true)
        #expect(fx.fake.count(.createUser) == bulkShare - 1, "the deactivation used the reserve, not the bulk share")

        // An hour later the budget has rolled over and bulk work resumes.
        fx.clock.advance(seconds: 3600)
        try await fx.settle()
        #expect(fx.fake.count(.createUser) == 30)
    }

    @Test("bulk work blocked by the hourly budget does not postpone a due activation by a minute")
    func blockedBulkDoesNotPostponeActivation() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.priorityReserve = 0.1 }, settings: { $0.writesPerHour = 20 })
        for i in 0..<25 { try await fx.createUser("bulk\(i)", "bulk\(i)@example.com") }
        let start = fx.clock.nowMillis
        var activatedAt: Int64?
        for _ in 0..<50 where activatedAt == nil {
            let next = await fx.round()
            if fx.fake.activations > 0 { activatedAt = fx.clock.nowMillis } else { fx.clock.advance(to: next) }
        }
        #expect(fx.fake.count(.createUser) == 18)
        let delay = try #require(activatedAt) - start
        do {  // fixed: runOnce's 60 s budget wait overrides an earlier activation due time (TenantReconciler.swif
            #expect(delay <= 6_000, "activated \(delay) ms after the last change; the quiet period is 5 s")
        }
    }

    @Test("a deprovision that failed transiently is retried after its backoff even while bulk work is blocked by the budget")
    func priorityRetryNotDelayedByBlockedBulk() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.priorityReserve = 0.1 }, settings: { $0.writesPerHour = 20 })
        try await fx.createUser("victim", "victim@example.com")
        try await fx.settle()
        for i in 0..<30 { try await fx.createUser("bulk\(i)", "bulk\(i)@example.com") }
        for _ in 0..<3 { await fx.round() }
        #expect(fx.fake.count(.createUser) == 18, "victim + 17: the bulk share is used up")

        fx.fake.fail(.updateUser, with: FakeZIATarget.serverError())
        try await fx.deactivate("victim")
        let failedAt = fx.clock.nowMillis
        await fx.round()
        #expect(fx.fake.count(.updateUser) == 1)
        // Follow the reconciler's own schedule, as `run()` does when no SCIM write wakes it.
        var retriedAt: Int64?
        for _ in 0..<20 where retriedAt == nil {
            let next = await fx.round()
            if fx.fake.count(.updateUser) == 2 { retriedAt = fx.clock.nowMillis } else { fx.clock.advance(to: next) }
        }
        #expect(fx.fake.user(email: "victim@example.com")?.disabled == true)
        let delay = try #require(retriedAt) - failedAt
        withKnownIssue("runOnce's 60 s budget wait ignores rows whose backoff ends sooner (TenantReconciler.swift runOnce)") {
            #expect(delay <= 3_000, "the deprovision was retried \(delay) ms after a 2 s backoff")
        }
    }

    // MARK: - Batching

    @Test("three deleted users become one bulkDelete with all three ids, after deleteBatchDelaySeconds, not before")
    func deletesAreBatched() async throws {
        let fx = try await ReconcilerFixture()
        for name in ["a", "b", "c"] { try await fx.createUser(name, "\(name)@example.com") }
        try await fx.settle()
        let ids = try await ["a", "b", "c"].asyncMap { try await fx.ziaID($0) }
        let activationsBefore = fx.fake.activations
        fx.fake.clearLog()
        let deletedAt = fx.clock.nowMillis

        for name in ["a", "b", "c"] { try await fx.deleteUser(name) }
        await fx.round()
        #expect(fx.fake.count(.bulkDeleteUsers) == 0, "a deletion waits for others to share its call")
        fx.clock.advance(seconds: 5)
        await fx.round()
        #expect(fx.fake.count(.bulkDeleteUsers) == 0)
        #expect(try await fx.row(.user, "a")?.notBefore == deletedAt + 10_000)

        fx.clock.advance(seconds: 5)
        try await fx.settle()
        let deletes = fx.fake.calls(.bulkDeleteUsers)
        #expect(Set(deletes.first?.ids ?? []) == Set(ids), "the first bulkDelete carries all three ids")
        do {  // fixed: stale rows of the same round re-send bulkDelete (TenantReconciler+Users.swift deleteUsers)
            #expect(deletes.count == 1, "calls: \(deletes)")
        }
        #expect(fx.fake.users.isEmpty)
        #expect(try await fx.store.syncRecords(tenantID: fx.tenantID, kind: .user).isEmpty, "tombstones are forgotten")
        #expect(fx.fake.activations == activationsBefore + 1, "a deletion is activated at once")
    }

    // MARK: - Debounce

    @Test("a burst of 20 changes, one a second, is activated once, after the quiet period")
    func burstActivatesOnce() async throws {
        let fx = try await ReconcilerFixture()
        for i in 0..<20 { try await fx.createUser("u\(i)", "u\(i)@example.com") }
        try await fx.settle()
        let activationsBefore = fx.fake.activations

        for i in 0..<20 {
            try await fx.updateUser("u\(i)") { $0["displayName"] = .string("Renamed \(i)") }
            await fx.round()
            fx.clock.advance(seconds: 1)
        }
        #expect(fx.fake.count(.updateUser) == 20)
        #expect(fx.fake.activations == activationsBefore, "no activation while changes keep coming")
        fx.clock.advance(seconds: 3.9)  // 4.9 s after the last change
        await fx.round()
        #expect(fx.fake.activations == activationsBefore)
        fx.clock.advance(seconds: 0.1)
        await fx.round()
        #expect(fx.fake.activations == activationsBefore + 1)
        try await fx.settle()
        #expect(fx.fake.activations == activationsBefore + 1)
        #expect(fx.fake.pendingChanges == 0)
    }

    @Test("changes that never pause are still activated after activationMaxDelaySeconds")
    func continuousChangesActivateAtMaxDelay() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        let before = fx.fake.activations
        let start = fx.clock.nowMillis
        var activatedAt: Int64?
        for i in 0..<60 {
            try await fx.updateUser("u") { $0["displayName"] = .string("Name \(i)") }
            await fx.round()
            if activatedAt == nil, fx.fake.activations > before { activatedAt = fx.clock.nowMillis }
            fx.clock.advance(seconds: 2)
        }
        let at = try #require(activatedAt)
        #expect(at - start >= 90_000 && at - start <= 92_000)
    }

    @Test("a deprovisioning change is activated in the same round, without the quiet period")
    func deprovisioningActivatesAtOnce() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        let before = fx.fake.activations
        fx.fake.clearLog()

        try await fx.deactivate("u")
        await fx.round()
        #expect(fx.fake.calls.map(\.method) == [.getUser, .updateUser, .activate])
        #expect(fx.fake.activations == before + 1)
    }

    @Test("bulk activations stop at (1 - reserve) of activationsPerHour; a deprovision still activates")
    func activationShare() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.priorityReserve = 0.25 }, settings: { $0.activationsPerHour = 4 })
        let share = 3
        try await fx.createUser("u", "u@example.com")
        try await fx.createUser("leaver", "leaver@example.com")
        try await fx.settle()  // activation 1
        #expect(fx.fake.activations == 1)

        var next: Int64 = 0
        for i in 0..<5 {
            try await fx.updateUser("u") { $0["displayName"] = .string("Burst \(i)") }
            await fx.round()
            fx.clock.advance(seconds: 6)
            next = await fx.round()
        }
        #expect(fx.fake.activations == share)
        #expect(fx.fake.pendingChanges > 0, "the last bursts wait for the hour to roll over")
        withKnownIssue("a blocked activation makes runOnce return now + 1 ms (TenantReconciler.swift runOnce / activationDue)") {
            #expect(next - fx.clock.nowMillis >= 1000, "next round due in \(next - fx.clock.nowMillis) ms")
        }

        try await fx.deactivate("leaver")
        await fx.round()
        #expect(fx.fake.activations == share + 1, "the reserve is for deprovisioning")
        #expect(fx.fake.pendingChanges == 0)

        // Another deprovision in the same hour: the hourly cap is spent.
        try await fx.deactivate("u")
        await fx.round()
        do {  // fixed: priority activations are not capped by activationsPerHour (TenantReconciler+Activation.swi
            #expect(fx.fake.activations <= fx.settings.activationsPerHour, "\(fx.fake.activations) activations in one hour")
        }
    }

    @Test("a failed activation is retried with a backoff, not on every millisecond")
    func activationFailureBacksOff() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        let before = fx.fake.count(.activate)
        fx.fake.fail(.activate, times: 1000, with: FakeZIATarget.serverError())

        try await fx.deactivate("u")
        let start = fx.clock.nowMillis
        var rounds = 0
        while fx.clock.nowMillis < start + 10_000, rounds < 500 {
            let next = await fx.round()
            fx.clock.advance(to: next)
            rounds += 1
        }
        let attempts = fx.fake.count(.activate) - before
        do {  // fixed: activation failures are retried every 1 ms (TenantReconciler+Activation.swift maybeActivat
            #expect(attempts <= 10, "\(attempts) activation attempts in \(fx.clock.nowMillis - start) ms of virtual time")
        }
    }

    // MARK: - Adoption

    @Test("a user whose e-mail exists in ZIA is adopted (linked, no duplicate), then updated; console groups stay")
    func adoptsExistingUser() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: ["VIP"])
        let existing = fx.fake.seedUser(
            email: "alice@example.com", name: "Alice Smith", department: fx.employees, groups: [fx.fake.groupID(named: "VIP")!])
        try await fx.createUser("alice", "alice@example.com", displayName: "Alice Smith", department: "Engineering")
        try await fx.settle()

        #expect(fx.fake.users(email: "alice@example.com").count == 1)
        #expect(fx.fake.count(.createUser) == 1, "the one create that came back DUPLICATE_ITEM")
        #expect(fx.fake.count(.lookupUser) == 1)
        let row = try #require(try await fx.row(.user, "alice"))
        #expect(row.zscalerID == Int64(existing))
        #expect(row.state == .synced && !row.isDirty)
        #expect(fx.fake.calls(.updateUser).map(\.ids) == [[existing]])
        let zia = try #require(fx.fake.user(email: "alice@example.com"))
        #expect(zia.department?.id == fx.engineering)
        #expect(zia.groups.map(\.id) == [fx.fake.groupID(named: "VIP")!])
    }

    @Test("adopting a ZIA user whose name differs from the SCIM one: no duplicate is ever created")
    func adoptionWithDifferentName() async throws {
        let fx = try await ReconcilerFixture()
        let existing = fx.fake.seedUser(email: "bob@example.com", name: "Robert (console)", department: fx.employees)
        try await fx.createUser("bob", "bob@example.com", displayName: "Bob Jones")
        try await fx.settle()

        #expect(fx.fake.users(email: "bob@example.com").count == 1)
        let row = try #require(try await fx.row(.user, "bob"))
        withKnownIssue("lookup searches by display name; DESIGN §2.1 wants an e-mail → id index (TenantReconciler+Users.swift lookup)") {
            #expect(row.zscalerID == Int64(existing))
            #expect(row.state == .synced, "state \(row.state), \(row.errorCode ?? "") \(row.lastError ?? "")")
        }
    }

    // MARK: - Crash safety

    @Test("a create whose answer was lost is found by lookup in the next round, never sent twice")
    func lostCreateAnswer() async throws {
        let fx = try await ReconcilerFixture()
        fx.fake.fail(.createUser, with: FakeZIATarget.transport(), afterApplying: true)
        try await fx.createUser("u", "u@example.com", displayName: "Una")
        await fx.round()
        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.isDirty && row.createAttempted)
        #expect(row.notBefore > fx.clock.nowMillis, "a transient failure backs off")
        #expect(fx.fake.users(email: "u@example.com").count == 1)

        try await fx.settle()
        #expect(fx.fake.count(.createUser) == 1)
        #expect(fx.fake.count(.lookupUser) == 1)
        #expect(fx.fake.users(email: "u@example.com").count == 1)
        let synced = try #require(try await fx.row(.user, "u"))
        #expect(synced.state == .synced && synced.zscalerID == fx.fake.user(email: "u@example.com")?.id.map(Int64.init))
        do {  // fixed: the recovered create is activated
            #expect(fx.fake.pendingChanges == 0, "the user created by the lost call is still pending activation in ZIA")
        }
    }

    @Test("a reconciler that dies right after a create: a fresh one on the same store converges to the same state")
    func restartAfterCrash() async throws {
        let reference = try await Self.restartScenario(crashAtCreate: nil)
        let crashed = try await Self.restartScenario(crashAtCreate: 3)
        #expect(crashed.users == reference.users)
        #expect(crashed.rows == reference.rows)
        #expect(crashed.creates == 5 && reference.creates == 5, "no user was created twice")
        #expect(crashed.activations >= 1)
    }

    /// Five users and a group; with `crashAtCreate`, the store stops accepting the reconciler's
    /// writes as the n-th create is sent (the process died: ZIA applied it, nothing was recorded),
    /// and a new `TenantReconciler` takes over.
    static func restartScenario(crashAtCreate: Int?) async throws -> (users: [String], rows: [String], creates: Int, activations: Int) {
        let fx = try await ReconcilerFixture(ziaGroups: ["Engineering"])
        try await fx.createGroup("eng", "Engineering")
        for i in 0..<5 {
            try await fx.createUser("u\(i)", "u\(i)@example.com", department: i == 1 ? "Engineering" : nil)
        }
        try await fx.addMembers("eng", ["u0", "u1", "u2"])
        if let crashAtCreate {
            let (fake, crashable) = (fx.fake, fx.crashable)
            fake.onCall(.createUser) { _ in if fake.count(.createUser) == crashAtCreate { crashable.crash() } }
            await fx.round()
            fake.onCall(.createUser, nil)
            #expect(fake.count(.createUser) == crashAtCreate)
            #expect(try await fx.row(.user, "u\(crashAtCreate - 1)")?.zscalerID == nil, "the crash lost the answer")
            fx.restart()
        }
        try await fx.settle()
        return (fx.snapshotUsers(), try await fx.snapshotRows(), fx.fake.count(.createUser), fx.fake.activations)
    }

    @Test("deletions waiting for their batch survive a restart and still go in one bulkDelete")
    func pendingDeletesSurviveRestart() async throws {
        let fx = try await ReconcilerFixture()
        for name in ["a", "b"] { try await fx.createUser(name, "\(name)@example.com") }
        try await fx.settle()
        let ids = try await ["a", "b"].asyncMap { try await fx.ziaID($0) }
        for name in ["a", "b"] { try await fx.deleteUser(name) }
        await fx.round()
        #expect(fx.fake.count(.bulkDeleteUsers) == 0)

        fx.restart()
        fx.clock.advance(seconds: 10)
        try await fx.settle()
        #expect(Set(fx.fake.calls(.bulkDeleteUsers).first?.ids ?? []) == Set(ids))
        #expect(fx.fake.users.isEmpty)
    }

    @Test("a pending activation survives a restart")
    func pendingActivationSurvivesRestart() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        await fx.round()
        #expect(fx.fake.activations == 0 && fx.fake.pendingChanges == 1)
        fx.restart()
        fx.clock.advance(seconds: 5)
        await fx.round()
        #expect(fx.fake.activations == 1)
    }

    // MARK: - Level-triggered

    @Test("a change committed between the reconciler's read and its record leaves the row dirty; the next round sends it")
    func raceLeavesRowDirty() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com", displayName: "v1")
        try await fx.settle()
        fx.fake.clearLog()

        try await fx.updateUser("u") { $0["displayName"] = "v2" }
        let (store, tenantID, clock, fake) = (fx.store, fx.tenantID, fx.clock, fx.fake)
        fake.onCall(.updateUser) { _ in
            guard fake.count(.updateUser) == 1 else { return }
            try? await SCIMWrites.update(store, tenantID: tenantID, at: clock.scimNow, .user, "u") { $0["displayName"] = "v3" }
        }
        await fx.round()
        fake.onCall(.updateUser, nil)
        #expect(fake.user(email: "u@example.com")?.name == "v2")
        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.isDirty, "generation \(row.generation), synced \(row.syncedGeneration)")

        try await fx.settle()
        #expect(fake.calls(.updateUser).count == 2)
        #expect(fake.user(email: "u@example.com")?.name == "v3")
        #expect(try await fx.row(.user, "u")?.isDirty == false)
    }

    // MARK: - Failures

    @Test("a permanent 400 is recorded (failed, lastError, syncSummary) and not retried until the next change")
    func permanentFailure() async throws {
        let fx = try await ReconcilerFixture()
        fx.fake.fail(.createUser, with: FakeZIATarget.badRequest("Department is not valid for this user"))
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()

        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.state == .failed && !row.isDirty)
        #expect(row.errorCode == "INVALID_INPUT_ARGUMENT")
        #expect(row.lastError?.contains("Department is not valid") == true)
        let summary = try await fx.store.syncSummary(tenantID: fx.tenantID, now: fx.clock.nowMillis, failureLimit: 10)
        #expect(summary.users[.failed] == 1)
        #expect(summary.recentFailures.first?.scimID == "u")
        #expect(summary.recentFailures.first?.code == "INVALID_INPUT_ARGUMENT")

        fx.clock.advance(seconds: 3600)
        for _ in 0..<5 { await fx.round() }
        #expect(fx.fake.count(.createUser) == 1, "not retried without a change")

        try await fx.updateUser("u") { $0["displayName"] = "Fixed" }
        try await fx.settle()
        #expect(fx.fake.count(.createUser) == 2)
        #expect(try await fx.row(.user, "u")?.state == .synced)
        #expect(fx.fake.users(email: "u@example.com").count == 1)
    }

    @Test("a transient 5xx backs off (2 s, then 4 s) and succeeds later")
    func transientFailureBacksOff() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        fx.fake.clearLog()
        fx.fake.fail(.updateUser, times: 2, with: FakeZIATarget.serverError())

        try await fx.updateUser("u") { $0["displayName"] = "New" }
        let t0 = fx.clock.nowMillis
        await fx.round()
        var row = try #require(try await fx.row(.user, "u"))
        #expect(row.notBefore == t0 + 2000 && row.attempts == 1 && row.isDirty)
        #expect(row.status.state == .pending && row.lastError != nil)

        fx.clock.advance(seconds: 1.9)
        await fx.round()
        #expect(fx.fake.count(.updateUser) == 1, "nothing before the backoff ends")
        fx.clock.advance(seconds: 0.1)
        await fx.round()
        #expect(fx.fake.count(.updateUser) == 2)
        row = try #require(try await fx.row(.user, "u"))
        #expect(row.notBefore == fx.clock.nowMillis + 4000 && row.attempts == 2)

        fx.clock.advance(seconds: 4)
        await fx.round()
        #expect(fx.fake.count(.updateUser) == 3)
        row = try #require(try await fx.row(.user, "u"))
        #expect(row.state == .synced && !row.isDirty && row.attempts == 0 && row.lastError == nil)
        #expect(fx.fake.user(email: "u@example.com")?.name == "New")
    }

    @Test("Retry-After is a floor for the backoff")
    func retryAfterIsAFloor() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        fx.fake.fail(
            .updateUser, with: ZscalerAPIError(.rateLimited, status: 429, message: "Rate Limit Exceeded", retryAfter: .seconds(30)))
        try await fx.updateUser("u") { $0["displayName"] = "New" }
        let t0 = fx.clock.nowMillis
        await fx.round()
        #expect(try await fx.row(.user, "u")?.notBefore == t0 + 30_000)
    }

    @Test("legacy API: a group missing in ZIA fails naming it; its members still sync with their other groups")
    func missingGroupOnLegacyTarget() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: ["Engineering"])
        try await fx.createGroup("eng", "Engineering")
        try await fx.createGroup("con", "Contractors")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("eng", ["u"])
        try await fx.addMembers("con", ["u"])
        try await fx.settle()

        let group = try #require(try await fx.row(.group, "con"))
        #expect(group.state == .failed && group.errorCode == "GROUP_NOT_FOUND")
        #expect(group.lastError?.contains("\"Contractors\"") == true)
        #expect(fx.fake.count(.createGroup) == 0)
        #expect(try await fx.row(.user, "u")?.state == .synced)
        #expect(fx.fake.user(email: "u@example.com")?.groups.map(\.id) == [fx.fake.groupID(named: "Engineering")!])
    }

    @Test("OneAPI: a group missing in ZIA is created, and the member gets it")
    func missingGroupOnOneAPI() async throws {
        let fx = try await ReconcilerFixture(canWriteDirectory: true)
        try await fx.createGroup("con", "Contractors")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("con", ["u"])
        try await fx.settle()

        #expect(fx.fake.calls(.createGroup).map(\.name) == ["Contractors"])
        let id = try #require(fx.fake.groupID(named: "Contractors"))
        #expect(fx.fake.user(email: "u@example.com")?.groups.map(\.id) == [id])
        #expect(fx.fake.count(.createUser) == 1 && fx.fake.count(.updateUser) == 0, "the group is created before the user needs it")
        do {  // fixed: linking a group re-marks its members, so a member synced in the same round is read once mo
            #expect(fx.fake.count(.getUser) == 0, "\(fx.fake.count(.getUser)) GET after the create")
        }
    }

    @Test("OneAPI: renaming a group zscim created renames it in ZIA; members are not touched")
    func groupRenameOnOneAPI() async throws {
        let fx = try await ReconcilerFixture(canWriteDirectory: true)
        try await fx.createGroup("con", "Contractors")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("con", ["u"])
        try await fx.settle()
        let id = try #require(fx.fake.groupID(named: "Contractors"))
        fx.fake.clearLog()

        try await SCIMWrites.update(fx.store, tenantID: fx.tenantID, at: fx.clock.scimNow, .group, "con") { $0["displayName"] = "Vendors" }
        try await fx.settle()
        #expect(fx.fake.calls == [.init(method: .renameGroup, ids: [id], name: "Vendors"), .init(method: .activate)])
        #expect(fx.fake.groupID(named: "Vendors") == id)
    }

    @Test("OneAPI: deleting a SCIM group removes it from its members, then deletes the ZIA group zscim created")
    func groupDeleteOnOneAPI() async throws {
        let fx = try await ReconcilerFixture(canWriteDirectory: true)
        try await fx.createGroup("con", "Contractors")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("con", ["u"])
        try await fx.settle()
        let id = try #require(fx.fake.groupID(named: "Contractors"))
        fx.fake.clearLog()

        _ = try await fx.store.commit(
            tenantID: fx.tenantID,
            Change(.delete(kind: .group, id: "con", expectedVersion: nil), at: fx.clock.scimNow, lane: .priority, action: "delete"))
        #expect(try await fx.row(.user, "u")?.lane == .priority, "losing a group is deprovisioning")
        try await fx.settle()

        #expect(fx.fake.groupID(named: "Contractors") == nil)
        #expect(fx.fake.user(email: "u@example.com")?.groups.isEmpty == true)
        let methods = fx.fake.calls.map(\.method)
        let put = try #require(methods.firstIndex(of: .updateUser))
        let lastDelete = try #require(methods.lastIndex(of: .deleteGroup))
        #expect(put < lastDelete, "ZIA refuses to delete a group users still have: \(fx.fake.calls)")
        #expect(fx.fake.calls(.deleteGroup).allSatisfy { $0.ids == [id] })
        #expect(try await fx.row(.group, "con") == nil, "the tombstone is forgotten")
    }

    @Test("a department ZIA lacks, with no default department: a recorded failure naming it, nothing sent")
    func missingDepartment() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.defaultDepartment = nil })
        try await fx.createUser("u", "u@example.com", department: "Marketing")
        try await fx.settle()
        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.state == .failed && row.errorCode == "DEPARTMENT_NOT_FOUND")
        #expect(row.lastError?.contains("\"Marketing\"") == true)
        #expect(fx.fake.count(.createUser) == 0)
    }

    @Test("refused credentials pause the whole tenant (no call for authenticationPauseSeconds), then work resumes")
    func authenticationFailurePauses() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        fx.fake.clearLog()
        fx.fake.fail(.getUser, with: ZscalerAPIError(.authenticationFailed, status: 401, message: "INVALID_USERNAME_OR_PASSWORD"))

        try await fx.updateUser("u") { $0["displayName"] = "New" }
        try await fx.createUser("v", "v@example.com")
        await fx.round()
        #expect(fx.fake.calls.map(\.method) == [.getUser], "the round stops at the first refusal")
        let state = try await fx.persistedState()
        #expect(state.tenantError?.contains("INVALID_USERNAME_OR_PASSWORD") == true)
        #expect(state.pausedUntil == fx.clock.nowMillis + 60_000)
        #expect(try await fx.row(.user, "u")?.state != .failed, "not the user's fault")

        for _ in 0..<5 {
            fx.clock.advance(seconds: 10)
            await fx.round()
        }
        #expect(fx.fake.calls.count == 1, "paused")
        fx.clock.advance(seconds: 10)
        try await fx.settle()
        #expect(fx.fake.user(email: "u@example.com")?.name == "New")
        #expect(fx.fake.user(email: "v@example.com") != nil)
        #expect(try await fx.persistedState().tenantError == nil)
    }

    @Test("groups added in the ZIA console are kept when a PUT changes the managed ones")
    func consoleGroupsKept() async throws {
        let fx = try await ReconcilerFixture(ziaGroups: ["Engineering", "Sales", "VIP"])
        try await fx.createGroup("eng", "Engineering")
        try await fx.createGroup("sales", "Sales")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("eng", ["u"])
        try await fx.settle()
        let (vip, sales) = (fx.fake.groupID(named: "VIP")!, fx.fake.groupID(named: "Sales")!)
        let ziaID = try await fx.ziaID("u")
        fx.fake.editUser(id: ziaID) { $0.groups.append(ZIAReference(id: vip, name: "VIP")) }

        try await fx.removeMembers("eng", ["u"])
        try await fx.addMembers("sales", ["u"])
        try await fx.settle()
        #expect(Set(fx.fake.user(email: "u@example.com")?.groups.map(\.id) ?? []) == [vip, sales])
    }

    // MARK: - Policies

    @Test("deactivation=delete deletes the ZIA user at once; reactivation creates it again")
    func deactivationDelete() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.deactivation = .delete })
        try await fx.createUser("u", "u@example.com")
        try await fx.settle()
        let ziaID = try await fx.ziaID("u")
        fx.fake.clearLog()

        try await fx.deactivate("u")
        await fx.round()
        #expect(fx.fake.calls == [.init(method: .bulkDeleteUsers, ids: [ziaID]), .init(method: .activate)])
        #expect(fx.fake.users.isEmpty)
        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.zscalerID == nil && row.state == .synced)

        try await fx.updateUser("u") { $0["active"] = true }
        try await fx.settle()
        #expect(fx.fake.count(.createUser) == 1)
        let recreated = try #require(fx.fake.user(email: "u@example.com"))
        #expect(recreated.id != ziaID && !recreated.isDisabled)
    }

    @Test("deactivation=quarantine replaces the managed groups with the quarantine group and disables the user")
    func deactivationQuarantine() async throws {
        let fx = try await ReconcilerFixture(
            ziaGroups: ["Engineering", "Quarantine", "VIP"],
            policy: {
                $0.deactivation = .quarantine
                $0.quarantineGroup = "Quarantine"
            })
        try await fx.createGroup("eng", "Engineering")
        try await fx.createUser("u", "u@example.com")
        try await fx.addMembers("eng", ["u"])
        try await fx.settle()
        let (vip, quarantine) = (fx.fake.groupID(named: "VIP")!, fx.fake.groupID(named: "Quarantine")!)
        fx.fake.editUser(id: try await fx.ziaID("u")) { $0.groups.append(ZIAReference(id: vip, name: "VIP")) }
        let before = fx.fake.activations

        try await fx.deactivate("u")
        await fx.round()
        let zia = try #require(fx.fake.user(email: "u@example.com"))
        #expect(zia.isDisabled)
        #expect(zia.groups.contains { $0.id == quarantine })
        #expect(!zia.groups.contains { $0.id == fx.fake.groupID(named: "Engineering") })
        #expect(fx.fake.activations == before + 1, "a quarantine move is deprovisioning: activated at once")
        withKnownIssue("console groups survive quarantine, though TenantPolicy says groups are *replaced* (UserMapping.merged)") {
            #expect(zia.groups.map(\.id) == [quarantine], "groups: \(zia.groups.map(\.id))")
        }
    }

    @Test("userNameChange=reject: a rename of a synced user is recorded as a failure, nothing is sent")
    func userNameChangeReject() async throws {
        let fx = try await ReconcilerFixture()
        try await fx.createUser("u", "old@example.com")
        try await fx.settle()
        fx.fake.clearLog()

        try await fx.updateUser("u") { $0["userName"] = "new@example.com" }
        try await fx.settle()
        let row = try #require(try await fx.row(.user, "u"))
        #expect(row.state == .failed && row.errorCode == "USERNAME_CHANGED")
        #expect(row.lastError?.contains("new@example.com") == true)
        #expect(!fx.fake.calls.contains { $0.isWrite })
        #expect(fx.fake.user(email: "old@example.com") != nil)
    }

    @Test("userNameChange=recreate: the old ZIA user is deleted and a new one created")
    func userNameChangeRecreate() async throws {
        let fx = try await ReconcilerFixture(policy: { $0.userNameChange = .recreate })
        try await fx.createUser("u", "old@example.com")
        try await fx.settle()
        let oldID = try await fx.ziaID("u")
        fx.fake.clearLog()

        try await fx.updateUser("u") { $0["userName"] = "new@example.com" }
        try await fx.settle()
        #expect(fx.fake.calls.filter(\.isWrite).map(\.method) == [.bulkDeleteUsers, .createUser])
        #expect(fx.fake.calls(.bulkDeleteUsers).map(\.ids) == [[oldID]])
        #expect(fx.fake.user(email: "old@example.com") == nil)
        let new = try #require(fx.fake.user(email: "new@example.com"))
        #expect(try await fx.row(.user, "u")?.zscalerID == new.id.map(Int64.init))
        #expect(fx.fake.users.count == 1)
    }
}

// MARK: - Fixture

/// One tenant with an in-memory store, a fake ZIA with two departments (and any groups asked
/// for), a manual clock and a reconciler. Not `Sendable`: a test owns it; the hooks it installs
/// capture only the `Sendable` parts.
final class ReconcilerFixture {
    let store: InMemoryDirectoryStore
    /// The reconciler's view of the store, which a test can "crash".
    let crashable: CrashableStore
    let fake: FakeZIATarget
    let clock: ManualClock
    let tenant: Tenant
    var tenantID: String { tenant.id }
    let policy: TenantPolicy
    let settings: ReconcilerSettings
    private(set) var reconciler: TenantReconciler
    let employees: Int
    let engineering: Int

    static let schemasPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("schemas").path

    init(
        ziaGroups: [String] = [], canWriteDirectory: Bool = false, policy configurePolicy: (inout TenantPolicy) -> Void = { _ in },
        settings configureSettings: (inout ReconcilerSettings) -> Void = { _ in }
    ) async throws {
        let store = InMemoryDirectoryStore()
        let clock = ManualClock()
        let fake = FakeZIATarget(canWriteDirectory: canWriteDirectory)
        employees = fake.seedDepartment("Employees")
        engineering = fake.seedDepartment("Engineering")
        for name in ziaGroups { fake.seedGroup(name) }
        var policy = TenantPolicy()
        policy.defaultDepartment = "Employees"
        configurePolicy(&policy)
        var settings = ReconcilerSettings()
        configureSettings(&settings)
        let tenant = Tenant(id: UUID().uuidString.lowercased(), name: "acme", created: clock.scimNow)
        try await store.createTenant(tenant)
        let crashable = CrashableStore(base: store)
        self.store = store
        self.clock = clock
        self.fake = fake
        self.policy = policy
        self.settings = settings
        self.tenant = tenant
        self.crashable = crashable
        reconciler = Self.makeReconciler(
            tenantID: tenant.id, store: crashable, fake: fake, policy: policy, settings: settings, clock: clock)
    }

    static func makeReconciler(
        tenantID: String, store: any DirectoryStore, fake: FakeZIATarget, policy: TenantPolicy, settings: ReconcilerSettings,
        clock: ManualClock
    ) -> TenantReconciler {
        TenantReconciler(
            tenantID: tenantID, store: store, target: fake, policy: policy, settings: settings, clock: clock.reconcilerClock,
            logger: Logger(label: "reconciler-decision-test") { _ in SwiftLogNoOpLogHandler() })
    }

    /// A process restart: the old reconciler (and everything it held in memory) is gone; a new
    /// one starts from what the store kept.
    func restart() {
        crashable.recover()
        reconciler = Self.makeReconciler(tenantID: tenantID, store: crashable, fake: fake, policy: policy, settings: settings, clock: clock)
    }

    // MARK: Rounds

    @discardableResult
    func round() async -> Int64 { await reconciler.runOnce() }

    /// Runs rounds, moving the clock to each round's "next due" instant, until nothing is dirty
    /// and no activation is pending.
    func settle(maxRounds: Int = 3000, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<maxRounds {
            let next = await reconciler.runOnce()
            if try await isIdle() { return }
            clock.advance(to: next)
        }
        Issue.record("the reconciler did not settle in \(maxRounds) rounds", sourceLocation: sourceLocation)
    }

    func isIdle() async throws -> Bool {
        let dirty = try await store.dueSyncRecords(tenantID: tenantID, now: .max, limit: 1)
        guard dirty.isEmpty else { return false }
        return try await persistedState().activationPendingSince == nil
    }

    /// The part of the reconciler's stored state the tests read (the type itself is internal).
    struct PersistedState: Decodable {
        var activationPendingSince: Int64?
        var activateNow: Bool?
        var recentCalls: [String: [Int64]]?
        var tenantError: String?
        var pausedUntil: Int64?
    }

    func persistedState() async throws -> PersistedState {
        guard let text = try await store.reconcilerState(tenantID: tenantID) else { return PersistedState() }
        return try JSONDecoder().decode(PersistedState.self, from: Data(text.utf8))
    }

    func row(_ kind: ResourceKind, _ id: String) async throws -> SyncRecord? {
        try await store.syncRecord(tenantID: tenantID, kind: kind, scimID: id)
    }

    /// The ZIA id a SCIM user is linked to (the test fails if it has none).
    func ziaID(_ id: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> Int {
        let row = try await row(.user, id)
        return Int(try #require(row?.zscalerID, "user \(id) has no ZIA id", sourceLocation: sourceLocation))
    }

    func snapshotUsers() -> [String] {
        fake.users.map { u in
            "\(u.id!) \(u.email) \(u.name) dept=\(u.department?.id ?? 0) groups=\(u.groups.map(\.id).sorted()) disabled=\(u.isDisabled)"
        }
    }

    func snapshotRows() async throws -> [String] {
        var rows: [String] = []
        for kind in [ResourceKind.user, .group] {
            for r in try await store.syncRecords(tenantID: tenantID, kind: kind) {
                rows.append("\(kind) \(r.scimID) zia=\(r.zscalerID ?? 0) \(r.state) dirty=\(r.isDirty) error=\(r.errorCode ?? "-")")
            }
        }
        return rows.sorted()
    }

    // MARK: Store writes (as the SCIM service commits them)

    func createUser(_ id: String, _ userName: String, displayName: String? = nil, department: String? = nil, active: Bool = true)
        async throws
    {
        try await SCIMWrites.create(
            store, tenantID: tenantID, at: clock.scimNow, .user, id,
            SCIMWrites.user(userName: userName, displayName: displayName, department: department, active: active))
    }

    func updateUser(_ id: String, lane: SyncLane = .bulk, _ mutate: (inout JSONObject) -> Void) async throws {
        try await SCIMWrites.update(store, tenantID: tenantID, at: clock.scimNow, .user, id, lane: lane, mutate)
    }

    /// `active: false`, in the priority lane as the service marks it.
    func deactivate(_ id: String) async throws {
        try await updateUser(id, lane: .priority) { $0["active"] = false }
    }

    func createGroup(_ id: String, _ name: String) async throws {
        var attributes = JSONObject()
        attributes["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:Group"]
        attributes["displayName"] = .string(name)
        try await SCIMWrites.create(store, tenantID: tenantID, at: clock.scimNow, .group, id, attributes, uniqueDisplayName: true)
    }

    func addMembers(_ groupID: String, _ userIDs: [String]) async throws {
        let members = userIDs.map { MemberRecord(id: $0, kind: .user) }
        _ = try await store.commit(
            tenantID: tenantID, Change(.membership(groupID: groupID, steps: [.add(members)]), at: clock.scimNow, action: "patch"))
    }

    func removeMembers(_ groupID: String, _ userIDs: [String]) async throws {
        _ = try await store.commit(
            tenantID: tenantID, Change(.membership(groupID: groupID, steps: [.remove(userIDs)]), at: clock.scimNow, action: "patch"))
    }

    func deleteUser(_ id: String) async throws {
        _ = try await store.commit(
            tenantID: tenantID,
            Change(.delete(kind: .user, id: id, expectedVersion: nil), at: clock.scimNow, lane: .priority, action: "delete"))
    }

    // MARK: Through the SCIM service

    func service() throws -> SCIMService {
        let registry = try SchemaRegistry.load(directory: Self.schemasPath)
        var configuration = ServiceConfiguration(cursorSecret: Array(repeating: 7, count: 32))
        let clock = clock
        configuration.clock = { clock.scimNow }
        return try SCIMService(
            store: store, registry: registry, configuration: configuration,
            logger: Logger(label: "reconciler-decision-test") { _ in SwiftLogNoOpLogHandler() })
    }

    var request: SCIMRequest { SCIMRequest(tenant: tenant, baseURL: "https://scim.test/scim/v2") }

    func scimCreateUser(_ service: SCIMService, _ userName: String, displayName: String) async throws -> String {
        let body = try JSONParser.parse(
            #"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"\#(userName)","displayName":"\#(displayName)","active":true}"#
        )
        let response = try await service.create(request, kind: .user, body: body)
        return try #require(response.body["id"]?.stringValue)
    }

    func scimCreateGroup(_ service: SCIMService, _ displayName: String) async throws -> String {
        let body = try JSONParser.parse(#"{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"displayName":"\#(displayName)"}"#)
        let response = try await service.create(request, kind: .group, body: body)
        return try #require(response.body["id"]?.stringValue)
    }

    func scimPatch(_ service: SCIMService, _ kind: ResourceKind, _ id: String, _ operation: String) async throws {
        let body = try JSONParser.parse(#"{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[\#(operation)]}"#)
        _ = try await service.patch(request, kind: kind, id: id, body: body)
    }

    func scimAddMember(_ service: SCIMService, groupID: String, userID: String) async throws {
        try await scimPatch(service, .group, groupID, #"{"op":"add","path":"members","value":[{"value":"\#(userID)"}]}"#)
    }

    func scimRemoveMember(_ service: SCIMService, groupID: String, userID: String) async throws {
        try await scimPatch(service, .group, groupID, #"{"op":"remove","path":"members[value eq \"\#(userID)\"]"}"#)
    }
}

/// Commits as the SCIM service does, usable from a fake's hook (only `Sendable` arguments).
enum SCIMWrites {
    static func user(userName: String, displayName: String?, department: String?, active: Bool) -> JSONObject {
        var attributes = JSONObject()
        attributes["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:User"]
        attributes["userName"] = .string(userName)
        if let displayName { attributes["displayName"] = .string(displayName) }
        attributes["active"] = .bool(active)
        if let department {
            var enterprise = JSONObject()
            enterprise["department"] = .string(department)
            attributes["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"] = .object(enterprise)
        }
        return attributes
    }

    static func create(
        _ store: any DirectoryStore, tenantID: String, at: SCIMDateTime, _ kind: ResourceKind, _ id: String, _ attributes: JSONObject,
        uniqueDisplayName: Bool = false
    ) async throws {
        let resource = StoredResource(kind: kind, id: id, version: 1, created: at, lastModified: at, attributes: attributes)
        _ = try await store.commit(
            tenantID: tenantID,
            Change(
                .put(ResourceWrite(resource: resource, expectedVersion: nil, uniqueDisplayName: uniqueDisplayName)), at: at,
                action: "create"))
    }

    /// A replace of the stored resource with `mutate` applied, in `lane`.
    static func update(
        _ store: any DirectoryStore, tenantID: String, at: SCIMDateTime, _ kind: ResourceKind, _ id: String, lane: SyncLane = .bulk,
        _ mutate: (inout JSONObject) -> Void
    ) async throws {
        guard var resource = try await store.resource(tenantID: tenantID, kind: kind, id: id) else { throw StoreError.notFound }
        let expected = resource.version
        mutate(&resource.attributes)
        resource.version += 1
        resource.lastModified = at
        _ = try await store.commit(
            tenantID: tenantID,
            Change(.put(ResourceWrite(resource: resource, expectedVersion: expected)), at: at, lane: lane, action: "replace"))
    }
}

/// The reconciler's store, which can die: after `crash()` every call fails as if the process had
/// stopped at that instant (the ZIA call in flight still lands; nothing after it is recorded).
/// `recover()` is the restart: the same rows, a new process.
final class CrashableStore: DirectoryStore {
    let base: InMemoryDirectoryStore
    private let crashed = Mutex(false)

    init(base: InMemoryDirectoryStore) { self.base = base }

    func crash() { crashed.withLock { $0 = true } }
    func recover() { crashed.withLock { $0 = false } }

    private func alive() throws(StoreError) {
        if crashed.withLock({ $0 }) { throw .unavailable("the process died") }
    }

    func probeWrite() async throws(StoreError) {
        try alive()
        try await base.probeWrite()
    }
    func sealedPassword(tenantID: String, userID: String) async throws(StoreError) -> [UInt8]? {
        try alive()
        return try await base.sealedPassword(tenantID: tenantID, userID: userID)
    }
    func forgetPassword(tenantID: String, userID: String) async throws(StoreError) {
        try alive()
        try await base.forgetPassword(tenantID: tenantID, userID: userID)
    }
    func createTenant(_ tenant: Tenant) async throws(StoreError) {
        try alive()
        try await base.createTenant(tenant)
    }
    func tenants() async throws(StoreError) -> [Tenant] {
        try alive()
        return try await base.tenants()
    }
    func tenant(named name: String) async throws(StoreError) -> Tenant? {
        try alive()
        return try await base.tenant(named: name)
    }
    func deleteTenant(id: String) async throws(StoreError) {
        try alive()
        try await base.deleteTenant(id: id)
    }
    func addToken(_ token: TokenRecord) async throws(StoreError) {
        try alive()
        try await base.addToken(token)
    }
    func tokens(tenantID: String) async throws(StoreError) -> [TokenRecord] {
        try alive()
        return try await base.tokens(tenantID: tenantID)
    }
    func removeToken(tenantID: String, hash: [UInt8]) async throws(StoreError) {
        try alive()
        try await base.removeToken(tenantID: tenantID, hash: hash)
    }
    func tenant(forTokenHash hash: [UInt8]) async throws(StoreError) -> Tenant? {
        try alive()
        return try await base.tenant(forTokenHash: hash)
    }
    func resource(tenantID: String, kind: ResourceKind, id: String) async throws(StoreError) -> StoredResource? {
        try alive()
        return try await base.resource(tenantID: tenantID, kind: kind, id: id)
    }
    func commit(tenantID: String, _ change: Change) async throws(StoreError) -> CommitResult {
        try alive()
        return try await base.commit(tenantID: tenantID, change)
    }
    func members(tenantID: String, groupID: String) async throws(StoreError) -> [MemberRecord] {
        try alive()
        return try await base.members(tenantID: tenantID, groupID: groupID)
    }
    func groups(tenantID: String, memberIDs: [String]) async throws(StoreError) -> [String: [GroupReference]] {
        try alive()
        return try await base.groups(tenantID: tenantID, memberIDs: memberIDs)
    }
    func references(tenantID: String, ids: [String]) async throws(StoreError) -> [String: MemberRecord] {
        try alive()
        return try await base.references(tenantID: tenantID, ids: ids)
    }
    func list(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult {
        try alive()
        return try await base.list(tenantID: tenantID, query: query)
    }
    func exactList(tenantID: String, query: StoreQuery) async throws(StoreError) -> StoreListResult? {
        try alive()
        return try await base.exactList(tenantID: tenantID, query: query)
    }
    func groupCounts(tenantID: String, userIDs: [String]) async throws(StoreError) -> [String: Int] {
        try alive()
        return try await base.groupCounts(tenantID: tenantID, userIDs: userIDs)
    }
    func auditEntries(tenantID: String, limit: Int) async throws(StoreError) -> [AuditRecord] {
        try alive()
        return try await base.auditEntries(tenantID: tenantID, limit: limit)
    }
    func setConnection(tenantID: String, _ connection: ConnectionRecord?) async throws(StoreError) {
        try alive()
        try await base.setConnection(tenantID: tenantID, connection)
    }
    func connection(tenantID: String) async throws(StoreError) -> ConnectionRecord? {
        try alive()
        return try await base.connection(tenantID: tenantID)
    }
    func reconcilerState(tenantID: String) async throws(StoreError) -> String? {
        try alive()
        return try await base.reconcilerState(tenantID: tenantID)
    }
    func setReconcilerState(tenantID: String, _ state: String) async throws(StoreError) {
        try alive()
        try await base.setReconcilerState(tenantID: tenantID, state)
    }
    func dueSyncRecords(tenantID: String, now: Int64, limit: Int) async throws(StoreError) -> [SyncRecord] {
        try alive()
        return try await base.dueSyncRecords(tenantID: tenantID, now: now, limit: limit)
    }
    func syncRecord(tenantID: String, kind: ResourceKind, scimID: String) async throws(StoreError) -> SyncRecord? {
        try alive()
        return try await base.syncRecord(tenantID: tenantID, kind: kind, scimID: scimID)
    }
    func syncRecords(tenantID: String, kind: ResourceKind) async throws(StoreError) -> [SyncRecord] {
        try alive()
        return try await base.syncRecords(tenantID: tenantID, kind: kind)
    }
    func recordSync(
        tenantID: String, kind: ResourceKind, scimID: String, generation: Int64, _ outcome: SyncOutcome, at: SCIMDateTime
    ) async throws(StoreError) {
        try alive()
        try await base.recordSync(tenantID: tenantID, kind: kind, scimID: scimID, generation: generation, outcome, at: at)
    }
    func markDirty(tenantID: String, kind: ResourceKind, scimIDs: [String]?, onlyFailed: Bool, lane: SyncLane, at: SCIMDateTime)
        async throws(StoreError) -> Int
    {
        try alive()
        return try await base.markDirty(tenantID: tenantID, kind: kind, scimIDs: scimIDs, onlyFailed: onlyFailed, lane: lane, at: at)
    }
    func syncSummary(tenantID: String, now: Int64, failureLimit: Int) async throws(StoreError) -> SyncSummary {
        try alive()
        return try await base.syncSummary(tenantID: tenantID, now: now, failureLimit: failureLimit)
    }
}

extension Sequence {
    /// `map` with an async transform, in order (setup helpers create resources one by one).
    fileprivate func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
