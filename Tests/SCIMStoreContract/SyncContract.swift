import SCIMBridge
import SCIMCore

/// The reconciler's side of the contract: what one `commit` marks dirty (and in which lane, at
/// which enqueue time), what each `recordSync` outcome leaves behind, and the queues and counts
/// built on them. The reconciler trusts these rules to never miss a change and to never run a
/// deprovisioning behind a bulk sync, so every store is held to them by name.
extension StoreContract {
    // MARK: Helpers

    static let acme = "tid-acme"

    /// `t0` plus whole seconds and milliseconds: change times that order the queue.
    static func after(_ seconds: Int64, ms: Int32 = 0) -> SCIMDateTime {
        SCIMDateTime(seconds: t0.seconds + seconds, nanoseconds: ms * 1_000_000)
    }

    static func at(_ seconds: Int64) -> Int64 { milliseconds(after(seconds)) }

    static func member(_ id: String, _ kind: ResourceKind = .user, display: String? = nil) -> MemberRecord {
        MemberRecord(id: id, kind: kind, display: display)
    }

    /// Writes `resource` as the service would: a create when `expected` is nil, else a replace of
    /// version `expected`, at `after(seconds)`.
    @discardableResult
    static func put(
        _ store: any DirectoryStore, _ resource: StoredResource, expected: Int? = nil, at seconds: Int64 = 0, lane: SyncLane = .bulk,
        added: SyncLane = .bulk, membership: [MembershipStep] = [], tenantID: String = acme, action: String = "create",
        actor: AuditActor = AuditActor()
    ) async throws -> CommitResult {
        var r = resource
        r.version = (expected ?? 0) + 1
        r.lastModified = after(seconds)
        let write = ResourceWrite(resource: r, expectedVersion: expected, membership: membership)
        return try await store.commit(
            tenantID: tenantID, Change(.put(write), at: after(seconds), lane: lane, addedMemberLane: added, action: action, actor: actor))
    }

    @discardableResult
    static func membership(
        _ store: any DirectoryStore, _ groupID: String, _ steps: [MembershipStep], at seconds: Int64, added: SyncLane = .bulk
    ) async throws -> CommitResult {
        try await store.commit(
            tenantID: acme, Change(.membership(groupID: groupID, steps: steps), at: after(seconds), addedMemberLane: added, action: "patch")
        )
    }

    @discardableResult
    static func remove(
        _ store: any DirectoryStore, _ kind: ResourceKind, _ id: String, expected: Int? = nil, at seconds: Int64, lane: SyncLane = .bulk
    ) async throws -> CommitResult {
        try await store.commit(
            tenantID: acme, Change(.delete(kind: kind, id: id, expectedVersion: expected), at: after(seconds), lane: lane, action: "delete")
        )
    }

    static func record(_ store: any DirectoryStore, _ kind: ResourceKind, _ id: String, tenantID: String = acme) async throws -> SyncRecord
    {
        guard let record = try await store.syncRecord(tenantID: tenantID, kind: kind, scimID: id) else {
            throw Failure(description: "no sync row for \(kind.rawValue) \(id)")
        }
        return record
    }

    /// Records the row's current generation as synced, so that the next mark starts from clean.
    static func settle(_ store: any DirectoryStore, _ kind: ResourceKind, _ id: String, zscalerID: Int64, at seconds: Int64 = 1)
        async throws
    {
        let r = try await record(store, kind, id)
        try await store.recordSync(
            tenantID: acme, kind: kind, scimID: id, generation: r.generation,
            .synced(zscalerID: zscalerID, observed: nil, markMembers: false), at: after(seconds))
    }

    static func due(_ store: any DirectoryStore, now seconds: Int64, limit: Int = 100, tenantID: String = acme) async throws -> [String] {
        try await store.dueSyncRecords(tenantID: tenantID, now: at(seconds), limit: limit).map(\.scimID)
    }

    /// "u1 gen 2 lane priority at 10s" style, for failure messages that show the whole row.
    static func show(_ r: SyncRecord) -> String {
        "\(r.scimID) gen \(r.generation)/\(r.syncedGeneration) \(r.lane.name) enq \(r.enqueuedAt - at(0))ms \(r.state) "
            + "zid \(r.zscalerID.map(String.init) ?? "-") err \(r.lastError ?? "-") att \(r.attempts) nb \(r.notBefore) del \(r.deleted)"
    }

    // MARK: Checks

    public static let syncChecks: [Check] = [
        Check(name: "a create marks the resource dirty in the change's lane at generation 1 and writes an audit entry") { store in
            try await setUp(store, "acme")
            let actor = AuditActor(tokenFingerprint: "ab12cd34", source: "scim")
            try await put(store, user("u1", "a@x"), at: 0, lane: .priority, actor: actor)
            try await put(store, user("u2", "b@x"), at: 1, action: "bulk", actor: AuditActor(source: "bulk"))
            let u1 = try await record(store, .user, "u1")
            try expect(
                u1.generation == 1 && u1.syncedGeneration == 0 && u1.isDirty && u1.lane == .priority && u1.enqueuedAt == at(0)
                    && u1.state == .pending && !u1.deleted && u1.zscalerID == nil && u1.attempts == 0 && u1.notBefore == 0,
                "u1 row: \(show(u1))")
            let u2 = try await record(store, .user, "u2")
            try expect(u2.lane == .bulk && u2.enqueuedAt == at(1) && u2.generation == 1, "u2 row: \(show(u2))")
            let read = try await store.resource(tenantID: acme, kind: .user, id: "u1")
            try expect(read?.sync == SyncStatus(state: .pending), "a read shows pending: \(String(describing: read?.sync))")

            let audit = try await store.auditEntries(tenantID: acme, limit: 10)
            try expect(audit.map(\.resourceID) == ["u2", "u1"], "audit newest first: \(audit.map(\.resourceID))")
            try expect(
                audit[0]
                    == AuditRecord(
                        at: after(1), action: "bulk", kind: .user, resourceID: "u2", actor: AuditActor(source: "bulk"), version: 1),
                "u2 entry: \(audit[0])")
            try expect(
                audit[1] == AuditRecord(at: t0, action: "create", kind: .user, resourceID: "u1", actor: actor, version: 1),
                "u1 entry keeps the actor's fingerprint: \(audit[1])")
            try expect(try await store.auditEntries(tenantID: acme, limit: 1).map(\.resourceID) == ["u2"], "audit limit")

            // A refused write leaves neither a mark nor an audit entry.
            try await expectError(.uniqueness(.userName)) { () async throws(StoreError) in
                _ = try await store.commit(
                    tenantID: acme, Change(.put(ResourceWrite(resource: user("u3", "A@X"), expectedVersion: nil)), at: t0, action: "create")
                )
            }
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "u3") == nil, "refused write marked")
            try expect(try await store.auditEntries(tenantID: acme, limit: 10).count == 2, "refused write audited")

            // A replace of a dirty row bumps the generation and keeps its place in the priority lane.
            try await put(store, user("u1", "a@x"), expected: 1, at: 5, action: "replace")
            let again = try await record(store, .user, "u1")
            try expect(
                again.generation == 2 && again.lane == .priority && again.enqueuedAt == at(0), "replaced dirty row: \(show(again))")
            let last = try await store.auditEntries(tenantID: acme, limit: 1).first
            try expect(
                last?.action == "replace" && last?.version == 2 && last?.at == after(5), "replace entry: \(String(describing: last))")
        },
        Check(name: "a group created with members marks each user member in the added-member lane, and the group in its own") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"))
            try await put(store, user("u2", "b@x"))
            try await put(store, group("g0", "Nested"))
            for (id, zid) in [("u1", 1), ("u2", 2), ("g0", 3)] as [(String, Int64)] {
                try await settle(store, id == "g0" ? .group : .user, id, zscalerID: zid)
            }
            try await put(
                store, group("g1", "Eng"), at: 10, lane: .bulk, added: .priority,
                membership: [.add([member("u1"), member("u2"), member("g0", .group)])])
            for id in ["u1", "u2"] {
                let r = try await record(store, .user, id)
                try expect(
                    r.generation == 2 && r.isDirty && r.lane == .priority && r.enqueuedAt == at(10) && r.state == .pending,
                    "added member: \(show(r))")
            }
            let g1 = try await record(store, .group, "g1")
            try expect(g1.generation == 1 && g1.lane == .bulk && g1.enqueuedAt == at(10), "the group itself: \(show(g1))")
            let g0 = try await record(store, .group, "g0")
            try expect(g0.generation == 1 && !g0.isDirty, "a nested group is not marked: \(show(g0))")

            // Adding someone who is already a member changes nothing for them.
            try await settle(store, .user, "u1", zscalerID: 1, at: 11)
            try await membership(store, "g1", [.add([member("u1")])], at: 12)
            let u1 = try await record(store, .user, "u1")
            try expect(u1.generation == 2 && !u1.isDirty, "re-adding a member marked it: \(show(u1))")
        },
        Check(name: "membership removals mark leavers priority; a re-add of a dirty bulk user keeps its enqueue time") { store in
            try await setUp(store, "acme")
            for i in 1...3 { try await put(store, user("u\(i)", "u\(i)@x")) }
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1"), member("u2")])])
            try await settle(store, .user, "u1", zscalerID: 1)
            let groupBefore = try await record(store, .group, "g1")

            let removal = try await membership(store, "g1", [.remove(["u1", "nope"])], at: 10)
            let u1 = try await record(store, .user, "u1")
            try expect(u1.generation == 3 && u1.isDirty && u1.lane == .priority && u1.enqueuedAt == at(10), "removed user: \(show(u1))")
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "nope") == nil, "a non-member was marked")
            let u2 = try await record(store, .user, "u2")
            try expect(u2.generation == 2 && u2.lane == .bulk && u2.enqueuedAt == at(0), "a member who stayed: \(show(u2))")
            let groupAfter = try await record(store, .group, "g1")
            try expect(groupAfter == groupBefore, "ZIA keeps membership on the user: the group row moved: \(show(groupAfter))")
            let entry = try await store.auditEntries(tenantID: acme, limit: 1).first
            try expect(
                entry?.kind == .group && entry?.resourceID == "g1" && entry?.action == "patch" && entry?.version == removal.version
                    && removal.version == 2,
                "membership audit entry: \(String(describing: entry))")

            // u3 waits in bulk since 0s: joining a group in bulk keeps its place.
            try await membership(store, "g1", [.add([member("u3")])], at: 20, added: .bulk)
            var u3 = try await record(store, .user, "u3")
            try expect(u3.generation == 2 && u3.lane == .bulk && u3.enqueuedAt == at(0), "re-marked bulk user: \(show(u3))")
            // Leaving moves it up to priority, which is a new place in that lane.
            try await membership(store, "g1", [.remove(["u3"])], at: 30)
            u3 = try await record(store, .user, "u3")
            try expect(u3.generation == 3 && u3.lane == .priority && u3.enqueuedAt == at(30), "moved up to priority: \(show(u3))")
            // A later bulk mark never moves a dirty row down.
            try await membership(store, "g1", [.add([member("u3")])], at: 40, added: .bulk)
            u3 = try await record(store, .user, "u3")
            try expect(u3.generation == 4 && u3.lane == .priority && u3.enqueuedAt == at(30), "stays in priority: \(show(u3))")

            try await membership(store, "g1", [.removeAll], at: 50)
            for id in ["u2", "u3"] {
                let r = try await record(store, .user, id)
                try expect(r.lane == .priority && r.isDirty, "removeAll marks \(id) priority: \(show(r))")
            }
            try expect(try await store.members(tenantID: acme, groupID: "g1").isEmpty, "removeAll left members")

            // A membership change on a missing group is refused whole: no audit entry.
            let count = try await store.auditEntries(tenantID: acme, limit: 100).count
            try await expectError(.notFound) { () async throws(StoreError) in
                _ = try await store.commit(
                    tenantID: acme, Change(.membership(groupID: "nope", steps: [.add([member("u1")])]), at: t0, action: "patch"))
            }
            try expect(try await store.auditEntries(tenantID: acme, limit: 100).count == count, "refused change audited")
        },
        Check(name: "a replace of the members marks only the users who joined or left") { store in
            try await setUp(store, "acme")
            for i in 1...4 { try await put(store, user("u\(i)", "u\(i)@x")) }
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1", display: "U1"), member("u2", display: "U2")])])
            for i in 1...4 { try await settle(store, .user, "u\(i)", zscalerID: Int64(i)) }
            try await settle(store, .group, "g1", zscalerID: 10)

            try await put(
                store, group("g1", "Eng"), expected: 1, at: 10, added: .bulk,
                membership: [.replace([member("u2", display: "changed"), member("u3", display: "U3")])])
            let u1 = try await record(store, .user, "u1")
            try expect(u1.generation == 3 && u1.lane == .priority && u1.enqueuedAt == at(10), "leaver: \(show(u1))")
            let u2 = try await record(store, .user, "u2")
            try expect(u2.generation == 2 && !u2.isDirty, "a member who stayed was marked: \(show(u2))")
            let u3 = try await record(store, .user, "u3")
            try expect(u3.generation == 2 && u3.lane == .bulk && u3.enqueuedAt == at(10), "joiner: \(show(u3))")
            let u4 = try await record(store, .user, "u4")
            try expect(u4.generation == 1 && !u4.isDirty, "a bystander was marked: \(show(u4))")
            let g1 = try await record(store, .group, "g1")
            try expect(g1.generation == 2 && g1.isDirty, "the replaced group itself: \(show(g1))")
            let members = try await store.members(tenantID: acme, groupID: "g1")
            try expect(
                members == [member("u2", display: "U2"), member("u3", display: "U3")],
                "members after replace (stayers keep their row): \(members)")
        },
        Check(name: "deleting a group marks its former user members priority and leaves a group tombstone") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"))
            try await put(store, user("u2", "b@x"))
            try await put(store, group("g0", "Nested"))
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1"), member("u2"), member("g0", .group)])])
            for (kind, id, zid) in [(ResourceKind.user, "u1", 1), (.user, "u2", 2), (.group, "g0", 3), (.group, "g1", 4)]
                as [(ResourceKind, String, Int64)]
            {
                try await settle(store, kind, id, zscalerID: zid)
            }

            let result = try await remove(store, .group, "g1", expected: 1, at: 10, lane: .bulk)
            try expect(result.deleted && result.version == nil, "delete result \(result)")
            for id in ["u1", "u2"] {
                let r = try await record(store, .user, id)
                try expect(r.generation == 3 && r.lane == .priority && r.enqueuedAt == at(10) && r.isDirty, "former member: \(show(r))")
            }
            let g0 = try await record(store, .group, "g0")
            try expect(!g0.isDirty, "a nested group was marked: \(show(g0))")
            let g1 = try await record(store, .group, "g1")
            try expect(
                g1.deleted && g1.isDirty && g1.lane == .priority && g1.enqueuedAt == at(10) && g1.zscalerID == 4,
                "tombstone keeps the Zscaler id the reconciler must delete, in priority whatever the change's lane: \(show(g1))")
            try expect(try await store.resource(tenantID: acme, kind: .group, id: "g1") == nil, "group still readable")
            try expect(try await store.members(tenantID: acme, groupID: "g1").isEmpty, "members left behind")
            try expect(
                (try await store.groupCounts(tenantID: acme, userIDs: ["u1"]))["u1", default: 0] == 0, "former member still counted")
            let entry = try await store.auditEntries(tenantID: acme, limit: 1).first
            try expect(
                entry == AuditRecord(at: after(10), action: "delete", kind: .group, resourceID: "g1", actor: AuditActor(), version: nil),
                "delete entry: \(String(describing: entry))")

            // Deleting what is gone does nothing: no mark, no audit entry.
            let count = try await store.auditEntries(tenantID: acme, limit: 100).count
            try expect(try await remove(store, .group, "g1", at: 20).deleted == false, "second delete")
            try expect(try await record(store, .group, "g1").generation == g1.generation, "second delete marked the tombstone")
            try expect(try await store.auditEntries(tenantID: acme, limit: 100).count == count, "second delete audited")

            let summary = try await store.syncSummary(tenantID: acme, now: at(30), failureLimit: 10)
            try expect(summary.pendingDeletes == 1, "pending deletes \(summary.pendingDeletes)")
            try expect(summary.groups == [.synced: 1], "a tombstone is not counted as a group: \(summary.groups)")
        },
        Check(name: "deleting a user leaves a priority tombstone that is due first; removed forgets only tombstones") { store in
            try await setUp(store, "acme")
            for i in 1...3 { try await put(store, user("u\(i)", "u\(i)@x"), at: Int64(i)) }
            try await put(store, user("u9", "z@x"), at: 4)
            try await settle(store, .user, "u9", zscalerID: 9, at: 5)
            try await remove(store, .user, "u9", at: 100)
            let u9 = try await record(store, .user, "u9")
            try expect(
                u9.deleted && u9.isDirty && u9.lane == .priority && u9.enqueuedAt == at(100) && u9.generation == 2 && u9.zscalerID == 9,
                "user tombstone: \(show(u9))")
            try expect(try await due(store, now: 200) == ["u9", "u1", "u2", "u3"], "priority tombstone first")
            try expect(try await due(store, now: 200, limit: 1) == ["u9"], "limit")
            let first = try await store.dueSyncRecords(tenantID: acme, now: at(200), limit: 1).first
            try expect(first?.deleted == true, "the due record says deleted")

            // An explicit retry of a tombstone keeps it a tombstone.
            try expect(
                try await store.markDirty(tenantID: acme, kind: .user, scimIDs: ["u9"], onlyFailed: false, lane: .priority, at: after(150))
                    == 1, "tombstone marked")
            let retried = try await record(store, .user, "u9")
            try expect(retried.deleted && retried.generation == 3, "retried tombstone: \(show(retried))")

            // `.removed` is how a tombstone ends; a live row ignores it.
            try await store.recordSync(tenantID: acme, kind: .user, scimID: "u1", generation: 1, .removed, at: after(160))
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "u1") != nil, "removed dropped a live row")
            try await store.recordSync(tenantID: acme, kind: .user, scimID: "u9", generation: 3, .removed, at: after(160))
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "u9") == nil, "tombstone kept after removed")
            try expect(try await due(store, now: 200) == ["u1", "u2", "u3"], "due after removal")
            try expect(
                try await store.syncSummary(tenantID: acme, now: at(200), failureLimit: 10).pendingDeletes == 0,
                "pending deletes after removal")
        },
        Check(name: "due rows come priority lane first, then by enqueue time; backing-off and clean rows wait") { store in
            try await setUp(store, "acme", "globex")
            try await put(store, user("u1", "u1@x"), at: 3)
            try await put(store, user("u2", "u2@x"), at: 1)
            try await put(store, user("u3", "u3@x"), at: 2, lane: .priority)
            try await put(store, user("u4", "u4@x"), at: 4, lane: .priority)
            try expect(try await due(store, now: 10) == ["u3", "u4", "u2", "u1"], "lane, then enqueue time")
            try expect(try await due(store, now: 0).isEmpty == false, "due ignores enqueue time in the future")

            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u3", generation: 1, .transientFailure(code: nil, message: "timeout", retryAt: at(60)),
                at: after(5))
            try expect(try await due(store, now: 10) == ["u4", "u2", "u1"], "a row backing off is not due")
            try expect(try await due(store, now: 60) == ["u3", "u4", "u2", "u1"], "due again once its time has come")

            try await settle(store, .user, "u2", zscalerID: 2, at: 6)
            try expect(try await due(store, now: 60) == ["u3", "u4", "u1"], "a clean row is not due")
            try expect(try await due(store, now: 60, tenantID: "tid-globex").isEmpty, "another tenant's queue")
        },
        Check(name: "a sync success closes only the generation it read, and reads show it") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"), at: 0)
            try await put(store, user("u1", "a@x"), expected: 1, at: 1, action: "replace")
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1,
                .synced(zscalerID: 501, observed: #"{"id":501}"#, markMembers: false),
                at: after(2))
            var u1 = try await record(store, .user, "u1")
            try expect(
                u1.generation == 2 && u1.syncedGeneration == 1 && u1.isDirty && u1.zscalerID == 501 && u1.observed == #"{"id":501}"#
                    && u1.enqueuedAt == at(0),
                "generation raced: \(show(u1))")
            try expect(try await due(store, now: 10) == ["u1"], "a raced row is still due")
            var read = try await store.resource(tenantID: acme, kind: .user, id: "u1")
            try expect(
                read?.sync?.state == .pending && read?.sync?.zscalerID == 501,
                "a raced row reads pending: \(String(describing: read?.sync))")

            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 2, .synced(zscalerID: 501, observed: nil, markMembers: false),
                at: after(3))
            u1 = try await record(store, .user, "u1")
            try expect(
                !u1.isDirty && u1.syncedGeneration == 2 && u1.state == .synced && u1.zscalerID == 501 && u1.lastSyncedAt == after(3)
                    && u1.lastError == nil && !u1.createAttempted,
                "closed: \(show(u1))")
            try expect(try await due(store, now: 10).isEmpty, "a clean row is due")
            read = try await store.resource(tenantID: acme, kind: .user, id: "u1")
            try expect(
                read?.sync == SyncStatus(state: .synced, zscalerID: 501, lastSyncedAt: after(3)), "read: \(String(describing: read?.sync))")
            let listed = try await store.list(tenantID: acme, query: StoreQuery(kind: .user)).resources.first?.resource.sync
            try expect(listed == read?.sync, "a list shows the same status: \(String(describing: listed))")

            // A late answer for an older generation does not reopen the row.
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1, .synced(zscalerID: 501, observed: nil, markMembers: false),
                at: after(4))
            try expect(try await record(store, .user, "u1").syncedGeneration == 2, "a late success moved the synced generation back")
            // An outcome for a row that does not exist creates none.
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "nope", generation: 1, .synced(zscalerID: 1, observed: nil, markMembers: false),
                at: after(4))
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "nope") == nil, "an outcome created a row")
        },
        Check(name: "a permanent failure parks the row until a new change or an explicit retry") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"), at: 0)
            try await put(store, user("u2", "b@x"), at: 1)
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1, .permanentFailure(code: "DUPLICATE_ITEM", message: "exists"),
                at: after(5))
            var u1 = try await record(store, .user, "u1")
            try expect(
                u1.state == .failed && !u1.isDirty && u1.lastError == "exists" && u1.errorCode == "DUPLICATE_ITEM" && u1.attempts == 0,
                "failed: \(show(u1))")
            try expect(try await due(store, now: 10) == ["u2"], "a failed row is due")
            let read = try await store.resource(tenantID: acme, kind: .user, id: "u1")
            try expect(read?.sync?.state == .failed && read?.sync?.lastError == "exists", "read: \(String(describing: read?.sync))")

            try expect(
                try await store.markDirty(tenantID: acme, kind: .user, scimIDs: nil, onlyFailed: true, lane: .priority, at: after(10)) == 1,
                "retry of failed rows")
            u1 = try await record(store, .user, "u1")
            try expect(
                u1.isDirty && u1.state == .pending && u1.lane == .priority && u1.enqueuedAt == at(10) && u1.generation == 2,
                "retried: \(show(u1))")
            try expect(try await due(store, now: 10) == ["u1", "u2"], "a retried row is due first (priority)")

            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 2, .permanentFailure(code: nil, message: "still"), at: after(11))
            try await put(store, user("u1", "a2@x"), expected: 1, at: 20, action: "replace")
            u1 = try await record(store, .user, "u1")
            try expect(
                u1.isDirty && u1.state == .pending && u1.lane == .bulk && u1.enqueuedAt == at(20), "a new change retries it: \(show(u1))")

            try expect(
                try await store.markDirty(tenantID: acme, kind: .user, scimIDs: nil, onlyFailed: true, lane: .bulk, at: after(30)) == 0,
                "no failed rows left")
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u2", generation: 1, .permanentFailure(code: nil, message: "bad"), at: after(31))
            try expect(
                try await store.markDirty(tenantID: acme, kind: .user, scimIDs: ["u1", "u2"], onlyFailed: true, lane: .bulk, at: after(32))
                    == 1, "only the failed one of the given ids")
            try expect(try await record(store, .user, "u2").isDirty, "u2 retried")
            try expect(
                try await store.markDirty(
                    tenantID: acme, kind: .user, scimIDs: ["u2", "nope"], onlyFailed: false, lane: .bulk, at: after(33))
                    == 1, "only existing ids are marked")
            try expect(try await store.syncRecord(tenantID: acme, kind: .user, scimID: "nope") == nil, "a missing id got a row")
            try expect(
                try await store.markDirty(tenantID: acme, kind: .group, scimIDs: ["u2"], onlyFailed: false, lane: .bulk, at: after(33))
                    == 0, "marks are per kind")
        },
        Check(name: "a transient failure backs off and counts attempts without closing the generation") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"), at: 0)
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1,
                .transientFailure(code: "429", message: "rate limited", retryAt: at(30)),
                at: after(1))
            var u1 = try await record(store, .user, "u1")
            try expect(
                u1.isDirty && u1.state == .pending && u1.attempts == 1 && u1.notBefore == at(30) && u1.lastError == "rate limited"
                    && u1.errorCode == "429",
                "first failure: \(show(u1))")
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1,
                .transientFailure(code: "429", message: "rate limited", retryAt: at(60)),
                at: after(31))
            u1 = try await record(store, .user, "u1")
            try expect(u1.attempts == 2 && u1.notBefore == at(60), "second failure: \(show(u1))")
            try expect(try await store.syncSummary(tenantID: acme, now: at(40), failureLimit: 10).backingOff == 1, "backing off")

            // A new change ends the backoff.
            try await put(store, user("u1", "a@x"), expected: 1, at: 40, action: "replace")
            u1 = try await record(store, .user, "u1")
            try expect(u1.attempts == 0 && u1.notBefore == 0 && u1.enqueuedAt == at(0), "a change resets the backoff: \(show(u1))")
            try expect(try await due(store, now: 40) == ["u1"], "due again")
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 2, .synced(zscalerID: 7, observed: nil, markMembers: false),
                at: after(41))
            u1 = try await record(store, .user, "u1")
            try expect(u1.lastError == nil && u1.errorCode == nil && u1.attempts == 0, "a success clears the error: \(show(u1))")
        },
        Check(name: "createAttempted, deferred, linked and unlinked change the link or the wait, never the generation") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"), at: 0)
            let lookup = #"{"email":"a@x"}"#
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1, .createAttempted(observed: lookup), at: after(1))
            var u1 = try await record(store, .user, "u1")
            try expect(
                u1.createAttempted && u1.observed == lookup && u1.isDirty && u1.generation == 1, "create attempted: \(show(u1))")

            try await store.recordSync(tenantID: acme, kind: .user, scimID: "u1", generation: 1, .deferred(until: at(30)), at: after(2))
            u1 = try await record(store, .user, "u1")
            try expect(
                u1.notBefore == at(30) && u1.isDirty && u1.attempts == 0 && u1.lastError == nil && u1.state == .pending
                    && u1.createAttempted,
                "deferred: \(show(u1))")
            try expect(try await due(store, now: 29).isEmpty, "a deferred row is due before its time")
            try expect(try await due(store, now: 30) == ["u1"], "a deferred row is due at its time")
            let summary = try await store.syncSummary(tenantID: acme, now: at(10), failureLimit: 10)
            try expect(summary.recentFailures.isEmpty, "a deferral is not a failure: \(summary.recentFailures)")

            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: 1, .linked(zscalerID: 77, observed: "{}"), at: after(3))
            u1 = try await record(store, .user, "u1")
            try expect(
                u1.zscalerID == 77 && u1.observed == "{}" && !u1.createAttempted && u1.isDirty && u1.syncedGeneration == 0,
                "linked: \(show(u1))")
            try await store.recordSync(tenantID: acme, kind: .user, scimID: "u1", generation: 1, .unlinked, at: after(4))
            u1 = try await record(store, .user, "u1")
            try expect(u1.zscalerID == nil && u1.observed == nil && u1.isDirty && u1.generation == 1, "unlinked: \(show(u1))")
        },
        Check(name: "a group's sync with markMembers marks its user members, and only then") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"))
            try await put(store, user("u2", "b@x"))
            try await put(store, group("g0", "Nested"))
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1"), member("u2"), member("g0", .group)])])
            for (kind, id) in [(ResourceKind.user, "u1"), (.user, "u2"), (.group, "g0")] { try await settle(store, kind, id, zscalerID: 1) }

            try await store.recordSync(
                tenantID: acme, kind: .group, scimID: "g1", generation: 1, .synced(zscalerID: 900, observed: nil, markMembers: false),
                at: after(5))
            try expect(try await due(store, now: 100).isEmpty, "markMembers false marked someone")
            _ = try await store.markDirty(tenantID: acme, kind: .group, scimIDs: ["g1"], onlyFailed: false, lane: .bulk, at: after(6))
            try await store.recordSync(
                tenantID: acme, kind: .group, scimID: "g1", generation: 2, .synced(zscalerID: 900, observed: nil, markMembers: true),
                at: after(10))
            let g1 = try await record(store, .group, "g1")
            try expect(!g1.isDirty && g1.zscalerID == 900 && g1.state == .synced, "group: \(show(g1))")
            for id in ["u1", "u2"] {
                let r = try await record(store, .user, id)
                try expect(r.isDirty && r.lane == .bulk && r.enqueuedAt == at(10) && r.generation == 3, "member: \(show(r))")
            }
            try expect(!(try await record(store, .group, "g0")).isDirty, "a nested group was marked")
        },
        Check(name: "the sync summary counts states per kind, queues per lane, deletes, and failures with names") { store in
            try await setUp(store, "acme")
            for i in 1...5 { try await put(store, user("u\(i)", "u\(i)@x"), at: Int64(i)) }
            try await put(store, group("g1", "Eng"), at: 6)
            try await put(store, group("g2", "Sales"), at: 7)
            try await settle(store, .user, "u2", zscalerID: 2, at: 10)
            try await settle(store, .group, "g1", zscalerID: 11, at: 10)
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u3", generation: 1, .permanentFailure(code: "INVALID", message: "bad email"),
                at: after(20))
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u4", generation: 1,
                .transientFailure(code: nil, message: "timeout", retryAt: at(1000)),
                at: after(21))
            try await remove(store, .user, "u5", at: 30)

            var summary = try await store.syncSummary(tenantID: acme, now: at(100), failureLimit: 10)
            try expect(summary.users == [.pending: 2, .synced: 1, .failed: 1], "users \(summary.users)")
            try expect(summary.groups == [.synced: 1, .pending: 1], "groups \(summary.groups)")
            try expect(summary.queued == [.bulk: 3, .priority: 1], "queued \(summary.queued)")
            try expect(summary.backingOff == 1, "backing off \(summary.backingOff)")
            try expect(summary.pendingDeletes == 1, "pending deletes \(summary.pendingDeletes)")
            try expect(summary.oldestDirty == at(1), "oldest dirty \(String(describing: summary.oldestDirty))")
            try expect(
                summary.recentFailures == [
                    SyncFailure(kind: .user, scimID: "u4", name: "u4@x", code: nil, message: "timeout", at: after(21)),
                    SyncFailure(kind: .user, scimID: "u3", name: "u3@x", code: "INVALID", message: "bad email", at: after(20)),
                ], "recent failures \(summary.recentFailures)")
            summary = try await store.syncSummary(tenantID: acme, now: at(100), failureLimit: 1)
            try expect(summary.recentFailures.map(\.scimID) == ["u4"], "failure limit")

            // A group failure is named by its displayName; a tombstone's by nothing left.
            try await store.recordSync(
                tenantID: acme, kind: .group, scimID: "g2", generation: 1, .permanentFailure(code: nil, message: "no"), at: after(40))
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u5", generation: 2, .transientFailure(code: nil, message: "later", retryAt: at(50)),
                at: after(41))
            summary = try await store.syncSummary(tenantID: acme, now: at(100), failureLimit: 2)
            try expect(
                summary.recentFailures.map(\.scimID) == ["u5", "g2"] && summary.recentFailures.map(\.name) == [nil, "Sales"],
                "named failures \(summary.recentFailures)")
            try expect(summary.groups == [.synced: 1, .failed: 1], "groups after failure \(summary.groups)")
        },
        Check(name: "recent failures are newest first by instant, also when one falls on a whole second") { store in
            try await setUp(store, "acme")
            try await put(store, user("u1", "a@x"))
            try await put(store, user("u2", "b@x"))
            try await put(store, user("u3", "c@x"))
            for (id, time) in [("u1", after(1)), ("u2", after(1, ms: 500)), ("u3", after(0, ms: 999))] {
                try await store.recordSync(
                    tenantID: acme, kind: .user, scimID: id, generation: 1, .permanentFailure(code: nil, message: id), at: time)
            }
            let order = try await store.syncSummary(tenantID: acme, now: at(10), failureLimit: 10).recentFailures.map(\.scimID)
            try expect(order == ["u2", "u1", "u3"], "newest first: \(order)")
        },
        Check(name: "a tenant's connection and reconciler state round-trip, and a connection can be cleared") { store in
            try await setUp(store, "acme", "globex")
            try expect(try await store.connection(tenantID: acme) == nil, "no connection yet")
            let first = ConnectionRecord(
                settings: #"{"cloud":"zscalerthree"}"#, sealedSecrets: [1, 2, 3, 0, 255], policy: "{}", connectedAt: t0)
            try await store.setConnection(tenantID: acme, first)
            try expect(try await store.connection(tenantID: acme) == first, "round-trip")
            let second = ConnectionRecord(settings: "{}", sealedSecrets: [9], policy: #"{"quarantine":"q"}"#, connectedAt: after(60))
            try await store.setConnection(tenantID: acme, second)
            try expect(try await store.connection(tenantID: acme) == second, "replaced")
            try expect(try await store.connection(tenantID: "tid-globex") == nil, "another tenant's connection")
            try await store.setConnection(tenantID: acme, nil)
            try expect(try await store.connection(tenantID: acme) == nil, "cleared")

            try expect(try await store.reconcilerState(tenantID: acme) == nil, "no state yet")
            try await store.setReconcilerState(tenantID: acme, #"{"activation":1}"#)
            try await store.setReconcilerState(tenantID: acme, #"{"activation":2}"#)
            try expect(try await store.reconcilerState(tenantID: acme) == #"{"activation":2}"#, "state replaced")
            try expect(try await store.reconcilerState(tenantID: "tid-globex") == nil, "another tenant's state")
        },
        Check(name: "another tenant sees none of the sync rows, audit, connection or state; deleting a tenant removes them") { store in
            try await setUp(store, "acme", "globex")
            let globex = "tid-globex"
            try await put(store, user("u1", "a@x"))
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1")])])
            try await put(store, group("g2", "Ops"), membership: [.add([member("u1")])])
            try await remove(store, .group, "g1", at: 1)
            try await store.recordSync(
                tenantID: acme, kind: .user, scimID: "u1", generation: try await record(store, .user, "u1").generation,
                .permanentFailure(code: nil, message: "no"), at: after(2))
            try await store.setConnection(
                tenantID: acme, ConnectionRecord(settings: "{}", sealedSecrets: [1], policy: "{}", connectedAt: t0))
            try await store.setReconcilerState(tenantID: acme, "{}")

            try expect(try await store.syncRecord(tenantID: globex, kind: .user, scimID: "u1") == nil, "sync row across tenants")
            try expect(try await store.syncRecords(tenantID: globex, kind: .user).isEmpty, "sync rows across tenants")
            try expect(try await store.syncRecords(tenantID: globex, kind: .group).isEmpty, "tombstones across tenants")
            try expect(try await due(store, now: 100, tenantID: globex).isEmpty, "queue across tenants")
            try expect(try await store.auditEntries(tenantID: globex, limit: 10).isEmpty, "audit across tenants")
            try expect(try await store.connection(tenantID: globex) == nil, "connection across tenants")
            try expect(try await store.reconcilerState(tenantID: globex) == nil, "state across tenants")
            try expect(
                try await store.syncSummary(tenantID: globex, now: at(100), failureLimit: 10) == SyncSummary(), "summary across tenants")
            try expect(
                try await store.markDirty(tenantID: globex, kind: .user, scimIDs: ["u1"], onlyFailed: false, lane: .bulk, at: after(3))
                    == 0,
                "markDirty across tenants")
            try expect(
                try await store.markDirty(tenantID: globex, kind: .user, scimIDs: nil, onlyFailed: true, lane: .bulk, at: after(3)) == 0,
                "retry across tenants")
            try await store.recordSync(
                tenantID: globex, kind: .user, scimID: "u1", generation: 2, .synced(zscalerID: 1, observed: nil, markMembers: false),
                at: after(3))
            try await store.recordSync(tenantID: globex, kind: .group, scimID: "g1", generation: 2, .removed, at: after(3))
            try expect(try await record(store, .user, "u1").state == .failed, "an outcome reached across tenants")
            try expect(try await record(store, .group, "g1").deleted, "a removal reached across tenants")
            try await expectError(.notFound) { () async throws(StoreError) in
                _ = try await store.commit(
                    tenantID: globex, Change(.membership(groupID: "g2", steps: [.add([member("u1")])]), at: t0, action: "patch"))
            }
            try expect(try await store.groupCounts(tenantID: globex, userIDs: ["u1"]).isEmpty, "group counts across tenants")

            try await store.deleteTenant(id: acme)
            try await store.createTenant(tenant("acme"))
            try expect(try await store.syncRecords(tenantID: acme, kind: .user).isEmpty, "sync rows survived the tenant")
            try expect(try await store.syncRecords(tenantID: acme, kind: .group).isEmpty, "tombstones survived the tenant")
            try expect(try await store.auditEntries(tenantID: acme, limit: 10).isEmpty, "audit survived the tenant")
            try expect(try await store.connection(tenantID: acme) == nil, "connection survived the tenant")
            try expect(try await store.reconcilerState(tenantID: acme) == nil, "state survived the tenant")
            try expect(try await store.syncSummary(tenantID: acme, now: at(100), failureLimit: 10) == SyncSummary(), "summary survived")
        },
        Check(name: "group counts count each user's direct groups") { store in
            try await setUp(store, "acme")
            for i in 1...3 { try await put(store, user("u\(i)", "u\(i)@x")) }
            try await put(store, group("g1", "Eng"), membership: [.add([member("u1"), member("u2")])])
            try await put(store, group("g2", "Ops"), membership: [.add([member("u1")])])
            try await put(store, group("g3", "All"), membership: [.add([member("g1", .group)])])
            var counts = try await store.groupCounts(tenantID: acme, userIDs: ["u1", "u2", "u3", "nope"])
            try expect(
                counts["u1"] == 2 && counts["u2"] == 1 && counts["u3", default: 0] == 0 && counts["nope", default: 0] == 0,
                "direct groups only: \(counts)")
            try await membership(store, "g1", [.remove(["u1"])], at: 1)
            try await remove(store, .group, "g2", at: 2)
            counts = try await store.groupCounts(tenantID: acme, userIDs: ["u1", "u2"])
            try expect(counts["u1", default: 0] == 0 && counts["u2"] == 1, "after leaving: \(counts)")
            try expect(try await store.groupCounts(tenantID: acme, userIDs: []).isEmpty, "no ids")
        },
    ]
}
