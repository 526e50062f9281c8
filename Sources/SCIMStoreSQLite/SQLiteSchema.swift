import GRDB
import SCIMBridge

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
        migrator.registerMigration("v2: sync rows (dirty marks + links), audit, connections, reconciler state") { db in
            // Column names differ from `resources`' so that reads can join the two unqualified.
            try db.execute(
                sql: """
                    CREATE TABLE sync (
                        sync_tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                        sync_kind TEXT NOT NULL,
                        sync_id TEXT NOT NULL,
                        zscaler_id INTEGER,
                        generation INTEGER NOT NULL,
                        synced_generation INTEGER NOT NULL DEFAULT 0,
                        lane INTEGER NOT NULL,
                        enqueued_at INTEGER NOT NULL,
                        state TEXT NOT NULL DEFAULT 'pending',
                        observed TEXT,
                        last_error TEXT,
                        error_code TEXT,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        not_before INTEGER NOT NULL DEFAULT 0,
                        last_synced_at TEXT,
                        updated_at TEXT,
                        deleted INTEGER NOT NULL DEFAULT 0,
                        create_attempted INTEGER NOT NULL DEFAULT 0,
                        PRIMARY KEY (sync_tenant_id, sync_kind, sync_id)
                    );
                    CREATE INDEX sync_dirty ON sync(sync_tenant_id, lane, enqueued_at) WHERE generation > synced_generation;
                    CREATE INDEX sync_zscaler ON sync(sync_tenant_id, sync_kind, zscaler_id);
                    CREATE TABLE audit (
                        audit_seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        audit_tenant_id TEXT NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
                        at TEXT NOT NULL,
                        action TEXT NOT NULL,
                        resource_kind TEXT NOT NULL,
                        resource_id TEXT NOT NULL,
                        token_fingerprint TEXT,
                        source TEXT NOT NULL,
                        resource_version INTEGER
                    );
                    CREATE INDEX audit_tenant ON audit(audit_tenant_id, audit_seq);
                    CREATE TABLE connections (
                        tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
                        settings TEXT NOT NULL,
                        sealed_secrets BLOB NOT NULL,
                        policy TEXT NOT NULL,
                        connected_at TEXT NOT NULL
                    );
                    CREATE TABLE reconciler_state (
                        tenant_id TEXT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
                        state TEXT NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3: sealed passwords apart from attributes") { db in
            // Passwords were kept in the attributes in the clear; the key that could seal them
            // is not the store's, so they are dropped (the bridge generates one for a Zscaler
            // user still to be created, as for a client that sends none).
            try db.execute(
                sql: """
                    CREATE TABLE passwords (
                        tenant_id TEXT NOT NULL,
                        user_id TEXT NOT NULL,
                        sealed BLOB NOT NULL,
                        PRIMARY KEY (tenant_id, user_id),
                        FOREIGN KEY (tenant_id, user_id) REFERENCES resources(tenant_id, id) ON DELETE CASCADE
                    );
                    UPDATE resources SET attributes = json_remove(attributes, '$.password')
                        WHERE kind = 'User' AND json_extract(attributes, '$.password') IS NOT NULL;
                    """)
        }
        migrator.registerMigration("v4: name and e-mail keys in Unicode NFC") { db in
            // Keys were case-folded but not normalised: a decomposed `jose\u{301}` was keyed apart
            // from `jos\u{E9}`. Only non-ASCII keys can change. A key that would collide with
            // another row's is left as it was (the migration must not fail; both rows stay
            // readable by id, and the first keeps the name).
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT seq, tenant_id, kind, user_name_key, display_name_key, attributes FROM resources
                    WHERE user_name_key GLOB '*[^ -~]*' OR display_name_key GLOB '*[^ -~]*'
                    """)
            for row in rows {
                let seq: Int64 = row["seq"]
                let tenant: String = row["tenant_id"]
                let kind: String = row["kind"]
                for column in ["user_name_key", "display_name_key"] {
                    guard let old = row[column] as String? else { continue }
                    let new = StoredResource.normalizedKey(old)
                    // Bytes, not String ==, which holds canonically equivalent spellings equal.
                    guard !new.utf8.elementsEqual(old.utf8) else { continue }
                    var taken = false
                    if column == "user_name_key" {
                        taken =
                            try Bool.fetchOne(
                                db, sql: "SELECT 1 FROM resources WHERE tenant_id = ? AND kind = ? AND user_name_key = ? AND seq <> ?",
                                arguments: [tenant, kind, new, seq]) ?? false
                    }
                    if !taken {
                        try db.execute(sql: "UPDATE resources SET \(column) = ? WHERE seq = ?", arguments: [new, seq])
                    }
                }
            }
            let emails = try Row.fetchAll(db, sql: "SELECT resource_seq, value_key FROM emails WHERE value_key GLOB '*[^ -~]*'")
            for row in emails {
                let old: String = row["value_key"]
                let new = StoredResource.normalizedKey(old)
                guard !new.utf8.elementsEqual(old.utf8) else { continue }
                try db.execute(
                    sql: "UPDATE OR IGNORE emails SET value_key = ? WHERE resource_seq = ? AND value_key = ?",
                    arguments: [new, row["resource_seq"] as Int64, old])
            }
        }
        migrator.registerMigration("v5: indexed text columns for searched user attributes") { db in
            try TextIndexes.migrate(db)
        }
        return migrator
    }
}
