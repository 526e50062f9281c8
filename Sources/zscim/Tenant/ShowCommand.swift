import ArgumentParser
import Foundation
import SCIMBridge
import SCIMBridgeZscaler

extension TenantCommand {
    /// `zscim tenant show NAME [--json]`: one tenant, its token fingerprints, its Zscaler
    /// connection with the secrets masked, and its policy. Reading never creates a key file: with
    /// no key at hand the secrets are shown as sealed.
    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show a tenant: profile, token fingerprints, Zscaler connection (secrets masked) and policy.")
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @Flag(help: "Print JSON instead of text.") var json = false

        func run() async throws {
            let settings = try await options.load()
            let store = try await CommandEnvironment.openStore(settings)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            let tokens = try await store.tokens(tenantID: tenant.id)
            let record = try await TenantConnections.record(tenantID: tenant.id, store: store)
            let connection = record.map { describe($0, tenantID: tenant.id, zscim: settings) }
            if json {
                printJSON(tenant: tenant, tokens: tokens, record: record, connection: connection)
                return
            }
            print("Tenant:     \(tenant.name)")
            print("Profile:    \(tenant.profileName)")
            print("Created:    \(tenant.created)")
            print("Tokens:     " + (tokens.isEmpty ? "none" : tokens.map { "\($0.fingerprint) (\($0.created))" }.joined(separator: ", ")))
            guard let record, let connection else {
                print("Connection: none (connect with: zscim tenant connect \(name) …)")
                return
            }
            print("Connection: connected \(record.connectedAt)")
            let width = (connection.rows.map(\.0.count).max() ?? 0) + 2
            for (key, value) in connection.rows {
                print("  " + key.padding(toLength: width, withPad: " ", startingAt: 0) + value)
            }
            print("Policy:")
            print(connection.policy)
        }

        /// The masked rows (secrets opened only to mask them) and the policy text.
        private func describe(_ record: ConnectionRecord, tenantID: String, zscim: ZscimSettings) -> (
            rows: [(String, String)], policy: String
        ) {
            var rows: [(String, String)]
            do {
                var settings = try ZscalerConnection.decodeSettings(record.settings)
                let problem = openSecrets(record, into: &settings, tenantID: tenantID, zscim: zscim)
                rows = settings.maskedDescription()
                if let problem {
                    let secretRows: Set<String> = ["password", "apiKey", "clientSecret"]
                    rows = rows.map { secretRows.contains($0.0) ? ($0.0, "(sealed)") : $0 }
                    rows.append(("secrets", problem))
                }
            } catch {
                rows = [("settings", error.message)]
            }
            rows.append(("sealedWithKey", SecretBox.keyID(ofSealed: record.sealedSecrets) ?? "(not a sealed value)"))
            let policy = (try? TenantConnections.policy(of: record).json()) ?? record.policy
            return (rows, policy)
        }

        /// Nil when the secrets were opened into `settings`; else why not.
        private func openSecrets(_ record: ConnectionRecord, into settings: inout ZscalerConnection, tenantID: String, zscim: ZscimSettings)
            -> String?
        {
            let keyFile = zscim.secretKeyFile
            if zscim.secretKey == nil, !FileManager.default.fileExists(atPath: keyFile) {
                return "sealed; no key to open them (no \(SecretBox.environmentVariable), no key file \(keyFile))"
            }
            do {
                let box = try SecretBox.load(environment: zscim.secretKeyEnvironment, keyFile: keyFile)
                settings.secrets = try TenantConnections.openSecrets(record, tenantID: tenantID, box: box)
                return nil
            } catch {
                return "cannot be opened: \(error.message)"
            }
        }

        private func printJSON(
            tenant: Tenant, tokens: [TokenRecord], record: ConnectionRecord?, connection: (rows: [(String, String)], policy: String)?
        ) {
            var object: [String: Any] = [
                "tenant": tenant.name, "profile": tenant.profileName, "created": tenant.created.description,
                "tokens": tokens.map { ["fingerprint": $0.fingerprint, "created": $0.created.description] },
            ]
            if let record, let connection {
                var settings: [String: Any] = ["connectedAt": record.connectedAt.description]
                for (key, value) in connection.rows { settings[key] = value }
                object["connection"] = settings
                object["policy"] = (try? JSONSerialization.jsonObject(with: Data(connection.policy.utf8))) ?? connection.policy
            } else {
                object["connection"] = NSNull()
                object["policy"] = NSNull()
            }
            let data =
                (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]))
                ?? Data()
            print(String(decoding: data, as: UTF8.self))
        }
    }
}
