import ArgumentParser
import Foundation
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreSQLite

/// Opening what every command needs, from the resolved settings, with errors an operator can
/// act on.
enum CommandEnvironment {
    static func openStore(_ settings: ZscimSettings) async throws -> SQLiteDirectoryStore {
        do {
            return try SQLiteDirectoryStore(path: settings.database)
        } catch {
            throw ValidationError("Cannot open the database \(settings.database): \(error)")
        }
    }

    /// For commands that need nothing but the store.
    static func openStore(_ options: StoreOptions) async throws -> SQLiteDirectoryStore {
        try await openStore(try await options.load())
    }

    /// The box that seals tenant credentials: `ZSCIM_SECRET_KEY`, else the key file (made on
    /// first use).
    static func loadSecretBox(_ settings: ZscimSettings) throws -> SecretBox {
        do {
            return try SecretBox.load(environment: settings.secretKeyEnvironment, keyFile: settings.secretKeyFile)
        } catch {
            throw ValidationError(error.message)
        }
    }

    static func loadSchemas(_ settings: ZscimSettings) throws -> SchemaRegistry {
        do {
            return try SchemaRegistry.load(directory: settings.schemas)
        } catch {
            throw ValidationError("The schema documents in \(settings.schemas) do not load:\n\(error.description)")
        }
    }
}
