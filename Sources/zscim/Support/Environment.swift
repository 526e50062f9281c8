import ArgumentParser
import SCIMBridge
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

    static func loadSchemas(_ options: StoreOptions) throws -> SchemaRegistry {
        let path = try options.schemasPath()
        do {
            return try SchemaRegistry.load(directory: path)
        } catch {
            throw ValidationError("The schema documents in \(path) do not load:\n\(error.description)")
        }
    }
}
