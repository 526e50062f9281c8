import ArgumentParser
import Foundation
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore

/// `zscim tenant status` and `zscim tenant retry`: how far a tenant's Zscaler side is behind, and
/// sending failed changes again.
extension TenantCommand {
    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract:
                "Show a tenant's sync state: pending/synced/failed counts, the queue by lane, the last activation, rate-budget use and recent failures."
        )
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @Flag(help: "Print JSON (the same document as GET /tenants/NAME/status).") var json = false
        @Option(help: "How many recent failures to list.") var failures = 10

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            let report = try await TenantStatusReport.build(tenant: tenant, store: store, failures: max(0, failures))
            print(json ? report.json() : report.text())
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send a tenant's failed changes to Zscaler again (after fixing what they failed on, e.g. creating a missing group).")
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @Flag(help: "Re-check every user and group, not only failed ones (a full re-sync, paced like any other).") var all = false

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            var total = 0
            // Groups first: users name their ZIA groups.
            for kind in [ResourceKind.group, .user] {
                total += try await store.markDirty(
                    tenantID: tenant.id, kind: kind, scimIDs: nil, onlyFailed: !all, lane: .bulk, at: .now())
            }
            print("Queued \(total) \(all ? "resources" : "failed resources") of \(name) for another attempt.")
        }
    }
}
