import ArgumentParser
import SCIMBridge
import SCIMBridgeZscaler

extension TenantCommand {
    /// `zscim tenant policy NAME [flags]`: changes a connected tenant's policy in place; the
    /// sealed credentials are not touched (nor is the secret key needed).
    struct Policy: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change (or, without flags, print) the policy of a connected tenant without re-entering its credentials.")
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @OptionGroup(title: "Policy") var policy: PolicyOptions

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            guard let record = try await TenantConnections.record(tenantID: tenant.id, store: store) else {
                throw ValidationError(
                    "Tenant '\(name)' is not connected; the policy is stored with the connection: run `zscim tenant connect \(name) …` first"
                )
            }
            guard !policy.isEmpty else {
                print(try TenantConnections.policy(of: record).json())
                return
            }
            let base = (try? TenantConnections.policy(of: record)) ?? .init()
            let updated = try policy.apply(to: base)
            try await TenantConnections.setPolicy(updated, tenantID: tenant.id, store: store)
            print("Policy of \(name):")
            print(updated.json())
        }
    }
}
