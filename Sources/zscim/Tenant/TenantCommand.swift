import ArgumentParser
import Foundation
import SCIMBridge
import SCIMCore
import SCIMStoreSQLite

/// `zscim tenant create|list|rotate-token|delete`. A token is printed once, when made; only its
/// hash is stored.
struct TenantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Create, list and delete tenants; rotate their tokens.",
        subcommands: [
            Create.self, List.self, Show.self, RotateToken.self, Delete.self, Connect.self, Disconnect.self, Policy.self,
            Status.self, Retry.self,
        ])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant and print its first bearer token.")
        @OptionGroup var options: StoreOptions
        @Argument(help: "Tenant name: lower-case letters, digits, - and _.") var name: String
        @Option(help: "Client compatibility profile: \(CompatibilityProfile.all.map(\.name).joined(separator: ", ")).") var profile =
            "lenient"

        func run() async throws {
            guard Tenant.isValidName(name) else {
                throw ValidationError("'\(name)' is not a valid tenant name: use 1-64 of a-z, 0-9, - and _")
            }
            guard CompatibilityProfile.named(profile) != nil else {
                throw ValidationError(
                    "Unknown profile '\(profile)'; choose one of \(CompatibilityProfile.all.map(\.name).joined(separator: ", "))")
            }
            let store = try await CommandEnvironment.openStore(options)
            let tenant = Tenant(id: UUID().uuidString.lowercased(), name: name, profileName: profile.lowercased(), created: .now())
            if try await store.tenant(named: name) != nil {
                throw ValidationError("A tenant named '\(name)' already exists")
            }
            try await store.createTenant(tenant)
            let token = BearerToken.generate()
            try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
            print("Created tenant \(name) (profile \(tenant.profileName)).")
            print("Bearer token (shown once; store it in your identity provider now):")
            print(token)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants and their token fingerprints.")
        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            let tenants = try await store.tenants()
            if tenants.isEmpty { print("No tenants. Create one with: zscim tenant create NAME") }
            for tenant in tenants {
                let tokens = try await store.tokens(tenantID: tenant.id)
                let prints = tokens.map { "\($0.fingerprint) (\($0.created))" }.joined(separator: ", ")
                print("\(tenant.name)\tprofile=\(tenant.profileName)\tcreated=\(tenant.created)\ttokens=\(prints)")
            }
        }
    }

    struct RotateToken: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-token",
            abstract:
                "Issue a new token. The newest previous token stays valid until the next rotation, so clients can move over; older ones stop working now."
        )
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @Flag(help: "Also revoke every previous token immediately.") var revokeAll = false

        func run() async throws {
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            let existing = try await store.tokens(tenantID: tenant.id)
            let keep = revokeAll ? [] : existing.suffix(1)
            for old in existing where !keep.contains(old) {
                try await store.removeToken(tenantID: tenant.id, hash: old.hash)
            }
            let token = BearerToken.generate()
            try await store.addToken(TokenRecord(tenantID: tenant.id, hash: BearerToken.hash(token), created: .now()))
            print("New bearer token for \(name) (shown once):")
            print(token)
            if let kept = keep.first { print("Token \(kept.fingerprint) stays valid until the next rotation.") }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a tenant with all its users, groups and tokens.")
        @OptionGroup var options: StoreOptions
        @Argument var name: String
        @Flag(help: "Confirm the deletion.") var yes = false

        func run() async throws {
            guard yes else {
                throw ValidationError("Deleting tenant '\(name)' removes all its users, groups and tokens; add --yes to confirm")
            }
            let store = try await CommandEnvironment.openStore(options)
            guard let tenant = try await store.tenant(named: name) else { throw ValidationError("No tenant named '\(name)'") }
            try await store.deleteTenant(id: tenant.id)
            print("Deleted tenant \(name).")
        }
    }
}
