import ArgumentParser
import Foundation
import SCIMBridge
import SCIMCore
import SCIMStoreSQLite

/// Seeds a SQLite database with one large tenant for the load test, writing through the product
/// store (`SQLiteDirectoryStore`) exactly what the service would write: validated Entra-shaped
/// users, groups, and membership rows. The store protocol has no batch call, so every user is one
/// `write` (one transaction); several are kept in flight so the single writer never waits for the
/// next request. The rate is printed: it is the store's sustained create rate.
@main
struct LoadSeeder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "LoadSeeder", abstract: "Seed a zscim SQLite database with a large tenant for the load test.")

    @Option(help: "SQLite database file to create or extend.") var database: String
    @Option(help: "Directory of SCIM schema documents.") var schemas = "schemas"
    @Option(help: "Where to write the JSON manifest (ids, userNames, token) for the load script.") var manifest: String
    @Option(help: "Tenant name (must not exist yet).") var tenant = "load"
    @Option(help: "Number of users.") var users = 100_000
    @Option(help: "Number of groups, the big one included.") var groups = 1_000
    @Option(name: .customLong("big-group-members"), help: "Members of the big group (the first users created).")
    var bigGroupMembers = 50_000
    @Option(name: .customLong("members-per-group"), help: "Members of every other group.") var membersPerGroup = 20
    @Option(help: "Users listed in the manifest for lookups.") var sample = 20_000
    @Option(help: "Writes kept in flight.") var concurrency = 16

    static let maxUsers = 5_000_000

    func validate() throws {
        guard (1...Self.maxUsers).contains(users) else { throw ValidationError("--users must be 1...\(Self.maxUsers)") }
        guard (1...100_000).contains(groups) else { throw ValidationError("--groups must be 1...100000") }
        guard (0...users).contains(bigGroupMembers) else { throw ValidationError("--big-group-members must be 0...--users") }
        guard (0...min(users, 10_000)).contains(membersPerGroup) else {
            throw ValidationError("--members-per-group must be 0...min(--users, 10000)")
        }
        guard sample >= 1 else { throw ValidationError("--sample must be positive") }
        guard (1...256).contains(concurrency) else { throw ValidationError("--concurrency must be 1...256") }
        guard Tenant.isValidName(tenant) else { throw ValidationError("'\(tenant)' is not a valid tenant name") }
    }

    func run() async throws {
        let started = ContinuousClock.now
        let registry: SchemaRegistry
        do { registry = try SchemaRegistry.load(directory: schemas) } catch {
            throw ValidationError("The schema documents in \(schemas) do not load:\n\(error.description)")
        }
        guard let userDefinition = registry.definition(for: "User"), let groupDefinition = registry.definition(for: "Group") else {
            throw ValidationError("The schemas in \(schemas) define no User or Group resource type")
        }
        let store = try SQLiteDirectoryStore(path: database)
        if try await store.tenant(named: tenant) != nil { throw ValidationError("Tenant '\(tenant)' already exists in \(database)") }
        let owner = Tenant(id: UUID().uuidString.lowercased(), name: tenant, created: .now())
        try await store.createTenant(owner)
        let token = BearerToken.generate()
        try await store.addToken(TokenRecord(tenantID: owner.id, hash: BearerToken.hash(token), created: .now()))
        let tenantID = owner.id

        // Users, in chunks: build and validate a chunk (timed apart), then write it.
        let userValidator = ResourceValidator(definition: userDefinition, profile: owner.profile)
        var userIDs: [String] = []
        var userNames: [String] = []
        userIDs.reserveCapacity(users)
        userNames.reserveCapacity(users)
        var prepare = Duration.zero
        var writing = Duration.zero
        let chunkSize = 10_000
        for chunkStart in stride(from: 0, to: users, by: chunkSize) {
            let prepareStart = ContinuousClock.now
            let resources = try (chunkStart..<min(chunkStart + chunkSize, users)).map { index in
                let now = SCIMDateTime.now()
                let attributes = try Self.validated(EntraShapes.userBody(index), userValidator)
                return StoredResource(
                    kind: .user, id: UUID().uuidString.lowercased(), version: 1, created: now, lastModified: now, attributes: attributes)
            }
            prepare += ContinuousClock.now - prepareStart
            let writeStart = ContinuousClock.now
            try await Self.forEach(resources.count, width: concurrency) { i in
                _ = try await store.commit(tenantID: tenantID, Change(.put(ResourceWrite(resource: resources[i], expectedVersion: nil)), at: SCIMDateTime.now(), action: "seed"))
            }
            writing += ContinuousClock.now - writeStart
            for r in resources {
                userIDs.append(r.id)
                userNames.append(r.attributes["userName"]?.stringValue ?? "")
            }
        }

        // The big group: one write carrying all its members as one membership step.
        let groupValidator = ResourceValidator(definition: groupDefinition, profile: owner.profile)
        func group(_ name: String) throws -> StoredResource {
            let now = SCIMDateTime.now()
            return StoredResource(
                kind: .group, id: UUID().uuidString.lowercased(), version: 1, created: now, lastModified: now,
                attributes: try Self.validated(EntraShapes.groupBody(displayName: name), groupValidator))
        }
        let ids = userIDs
        let names = userNames
        let record = { @Sendable (i: Int) in MemberRecord(id: ids[i], kind: .user, display: names[i]) }
        let big = try group("All Employees")
        let bigStart = ContinuousClock.now
        _ = try await store.commit(
            tenantID: tenantID, Change(.put(ResourceWrite(
                resource: big, expectedVersion: nil, membership: [.add((0..<bigGroupMembers).map(record))], uniqueDisplayName: true)), at: SCIMDateTime.now(), action: "seed"))
        let bigDuration = ContinuousClock.now - bigStart

        // The other groups, each with members spread over the whole directory.
        let others = try (1..<groups).map { try group("Load Group \($0)") }
        let perGroup = membersPerGroup
        let userCount = users
        let groupsStart = ContinuousClock.now
        try await Self.forEach(others.count, width: concurrency) { g in
            let members = (0..<perGroup).map { j in record((g * 7_919 + j * 104_729) % userCount) }
            _ = try await store.commit(
                tenantID: tenantID, Change(.put(ResourceWrite(resource: others[g], expectedVersion: nil, membership: [.add(members)], uniqueDisplayName: true)), at: SCIMDateTime.now(), action: "seed"))
        }
        let groupsDuration = ContinuousClock.now - groupsStart

        let sampleCount = min(sample, users)
        let sampled = (0..<sampleCount).map { $0 * users / sampleCount }
        let writeSeconds = Self.seconds(writing)
        let result = SeedManifest(
            tenant: tenant, token: token, database: database, users: users, groups: groups, bigGroupID: big.id,
            bigGroupMembers: bigGroupMembers, sampleUserIDs: sampled.map { userIDs[$0] }, sampleUserNames: sampled.map { userNames[$0] },
            groupIDs: [big.id] + others.map(\.id), nonMemberIDs: Array(userIDs[bigGroupMembers...]),
            timings: .init(
                userPrepareSeconds: Self.seconds(prepare), userWriteSeconds: writeSeconds,
                userWritesPerSecond: Double(users) / max(writeSeconds, 1e-9), bigGroupSeconds: Self.seconds(bigDuration),
                groupWriteSeconds: Self.seconds(groupsDuration), totalSeconds: Self.seconds(ContinuousClock.now - started)))
        try Self.write(result, to: manifest)

        let t = result.timings
        print("Seeded tenant \(tenant) in \(database)")
        print(
            "  users:     \(users) writes in \(Self.format(t.userWriteSeconds)) s = \(Int(t.userWritesPerSecond)) writes/s "
                + "(one transaction each, \(concurrency) in flight; building+validating bodies took \(Self.format(t.userPrepareSeconds)) s more)"
        )
        print("  big group: \(bigGroupMembers) members in one write: \(Self.format(t.bigGroupSeconds)) s")
        print("  groups:    \(groups - 1) more with \(membersPerGroup) members each: \(Self.format(t.groupWriteSeconds)) s")
        print("  total:     \(Self.format(t.totalSeconds)) s")
        print("  manifest:  \(manifest)")
        print("Bearer token (shown once; also in the manifest):")
        print(token)
    }

    static func validated(_ text: String, _ validator: ResourceValidator) throws -> JSONObject {
        do {
            return try validator.validate(try JSONParser.parse(text))
        } catch let error as SCIMError {
            throw ValidationError("A seeded body does not validate: \(error.detail)\n\(text)")
        }
    }

    /// Runs `body` for 0..<count with at most `width` calls in flight.
    static func forEach(_ count: Int, width: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for i in 0..<count {
                if i >= width { try await group.next() }
                group.addTask { try await body(i) }
            }
            try await group.waitForAll()
        }
    }

    static func write(_ manifest: SeedManifest, to path: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = try encoder.encode(manifest)
        guard FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw ValidationError("Cannot write the manifest to \(path)")
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    static func format(_ s: Double) -> String { String(format: "%.2f", s) }
}
