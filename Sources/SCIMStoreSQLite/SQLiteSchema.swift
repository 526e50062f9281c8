import GRDB

/// The SQLite schema, as migrations: each change to the schema is a new migration, never an
/// edit of an old one, so an existing database upgrades in place.
enum SQLiteSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: tenants, tokens, resources, emails, members") { db in
            try db.execute(
                sql: """
                    CREATE TABLE tenants (
                        id TEXT PRIMARY KEY,
                        name TEXT NOT NULL UNIQUE,
                        profile TEXT NOT NULL,
                        created TEXT NOT NULL
                    );
                    CREATE TABLE tokens (
                        hash BLOB PRIMARY KEY,
                        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                        created TEXT NOT NULL
                    );
                    CREATE INDEX tokens_tenant ON tokens(tenant_id);
                    CREATE TABLE resources (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        id TEXT NOT NULL,
                        version INTEGER NOT NULL,
                        created TEXT NOT NULL,
                        last_modified TEXT NOT NULL,
                        last_modified_ms INTEGER NOT NULL,
                        user_name_key TEXT,
                        display_name_key TEXT,
                        external_id TEXT,
                        attributes TEXT NOT NULL,
                        UNIQUE (tenant_id, id)
                    );
                    CREATE UNIQUE INDEX resources_user_name ON resources(tenant_id, user_name_key) WHERE kind = 'User';
                    CREATE INDEX resources_kind_seq ON resources(tenant_id, kind, seq);
                    CREATE INDEX resources_display_name ON resources(tenant_id, kind, display_name_key);
                    CREATE INDEX resources_external_id ON resources(tenant_id, kind, external_id);
                    CREATE INDEX resources_last_modified ON resources(tenant_id, kind, last_modified_ms);
                    CREATE TABLE emails (
                        resource_seq INTEGER NOT NULL REFERENCES resources(seq) ON DELETE CASCADE,
                        tenant_id TEXT NOT NULL,
                        value_key TEXT NOT NULL,
                        PRIMARY KEY (resource_seq, value_key)
                    );
                    CREATE INDEX emails_value ON emails(tenant_id, value_key);
                    CREATE TABLE members (
                        tenant_id TEXT NOT NULL,
                        group_id TEXT NOT NULL,
                        member_id TEXT NOT NULL,
                        member_kind TEXT NOT NULL,
                        display TEXT,
                        PRIMARY KEY (tenant_id, group_id, member_id),
                        FOREIGN KEY (tenant_id, group_id) REFERENCES resources(tenant_id, id) ON DELETE CASCADE
                    );
                    CREATE INDEX members_reverse ON members(tenant_id, member_id);
                    CREATE TABLE settings (
                        key TEXT PRIMARY KEY,
                        value BLOB NOT NULL
                    );
                    """)
        }
        return migrator
    }
}
