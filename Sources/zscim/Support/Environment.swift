import ArgumentParser
import Foundation
import SCIMBridge
import SCIMBridgeZscaler
import SCIMCore
import SCIMStoreSQLite

/// Opening what every command needs, with errors an operator can act on.
enum CommandEnvironment {
    static func openStore(_ options: StoreOptions) async throws -> SQLiteDirectoryStore {
        let path = try options.databasePath()
        do {
            return try SQLiteDirectoryStore(path: path)
        } catch {
            throw ValidationError("Cannot open the database \(path): \(error)")
        }
    }

    /// The box that seals tenant credentials: `ZSCIM_SECRET_KEY`, else the key file (made on
    /// first use).
    static func loadSecretBox(_ options: StoreOptions) throws -> SecretBox {
        let keyFile = try options.secretKeyFilePath()
        do {
            return try SecretBox.load(environment: ProcessInfo.processInfo.environment, keyFile: keyFile)
        } catch {
            throw ValidationError(error.message)
        }
    }

    static func loadSchemas(_ options: StoreOptions) throws -> SchemaRegistry {
        let path = try options.schemasPath()
        do {
            return try SchemaRegistry.load(directory: path)
        } catch {
            throw ValidationError("The schema documents in \(path) do not load:\n\(error.description)")
        }
    }
}
