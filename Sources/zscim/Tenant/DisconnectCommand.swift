import ArgumentParser
import SCIMBridgeZscaler

extension TenantCommand {
    /// `zscim tenant disconnect NAME`: forgets the tenant's Zscaler connection (and its sealed
    /// credentials). SCIM keeps answering from the store and the sync rows stay, so connecting
    /// again resumes where the reconciler left off.
    struct Disconnect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a tenant's Zscaler connection; SCIM keeps working and the sync state is kept.")
        @OptionGroup var options: StoreOptions
        @Argument var name: String

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            if try await TenantConnections.remove(tenantID: tenant.id, store: store) {
                print("Disconnected tenant \(name) from Zscaler; its stored credentials are deleted.")
                print("SCIM keeps working and its sync state is kept: `zscim tenant connect \(name) …` resumes syncing.")
            } else {
                print("Tenant \(name) has no Zscaler connection; nothing to do.")
            }
        }
    }
}
