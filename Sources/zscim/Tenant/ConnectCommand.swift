import ArgumentParser
import Foundation
import Logging
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore

extension TenantCommand {
    /// `zscim tenant connect NAME …`: stores how a tenant reaches ZIA, after logging in once so a
    /// typo is found now rather than by the reconciler. On any failure nothing is stored.
    struct Connect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Connect a tenant to its ZIA org (legacy API key + admin, or OneAPI client credentials).",
            discussion: """
                Secrets are read from a file or an environment variable named by a flag, never from the command line, \
                and stored encrypted (AES-GCM) with the key from ZSCIM_SECRET_KEY or the key file (--secret-key-file). \
                Unless --skip-login, zscim logs in once and reads ZIA's activation status before storing anything. \
                Connecting again replaces the connection and keeps the policy unless policy flags change it.
                """)

        @OptionGroup var options: StoreOptions
        @Argument(help: "The tenant (see `zscim tenant list`).") var name: String
        @OptionGroup(title: "Connection") var connection: ConnectionOptions
        @OptionGroup(title: "Policy") var policy: PolicyOptions
        @Flag(name: .customLong("skip-login"), help: "Store the connection without logging in first.") var skipLogin = false

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            let (connection, notes) = try self.connection.connection(environment: environment)
            for note in notes { print(note) }
            let settings = try await options.load()
            let store = try await CommandEnvironment.openStore(settings)
            guard let tenant = try await store.tenant(named: name) else {
                throw ValidationError("No tenant named '\(name)'; create it with: zscim tenant create \(name)")
            }
            let box = try CommandEnvironment.loadSecretBox(settings)
            let previous = try await TenantConnections.record(tenantID: tenant.id, store: store)
            // A damaged stored policy must not block the reconnect that repairs it.
            let base = previous.flatMap { try? TenantConnections.policy(of: $0) } ?? TenantPolicy()
            let policy = try self.policy.apply(to: base)
            try connection.validate()

            if skipLogin {
                print("Not logged in (--skip-login): the reconciler's first call will show whether the credentials work.")
            } else {
                var logger = Logger(label: "zscim.connect")
                logger.logLevel = .critical
                let report = try await connection.check(logger: logger, policy: policy)
                let who = connection.isOneAPI ? "client \(connection.clientID ?? "")" : connection.username ?? ""
                print("Logged in to ZIA at \(report.baseURL) as \(who) (\(connection.isOneAPI ? "OneAPI" : "legacy session")).")
                if let token = report.tokenURL { print("Token from \(token).") }
                print("ZIA activation status: \(report.activationStatus).")
                for warning in report.warnings { print("warning: \(warning)") }
            }
            print(
                connection.orgID.map { "Org: \($0)." }
                    ?? "Org: unknown (ZIA's API does not report it; record it with --org-id or --from-metadata).")
            try await TenantConnections.save(connection, policy: policy, tenantID: tenant.id, store: store, box: box, at: .now())
            let keySource = settings.secretKey == nil ? "key file \(settings.secretKeyFile)" : SecretBox.environmentVariable
            print("Connected tenant \(name)\(previous == nil ? "" : " (replacing its previous connection)").")
            print("Credentials encrypted with key \(box.keyID) (\(keySource)).")
            print("Policy:")
            print(policy.json())
        }
    }
}
