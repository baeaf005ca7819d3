namespace OrderHub.Storage.Sqlite.Tests;

/// <summary>The first schema, as a database written by an older OrderHub has it.</summary>
internal static class SqliteSchemaAccess
{
    public const string Version1 = """
        CREATE TABLE orders (source TEXT NOT NULL, order_id TEXT NOT NULL, status TEXT NOT NULL, status_raw TEXT NOT NULL,
            account_id TEXT, last_updated_at TEXT, content_hash TEXT NOT NULL, json BLOB NOT NULL, stored_at TEXT NOT NULL,
            PRIMARY KEY (source, order_id)) WITHOUT ROWID;
        CREATE TABLE sync_items (run_id TEXT NOT NULL, seq INTEGER NOT NULL, source TEXT NOT NULL, order_id TEXT NOT NULL,
            state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, reason TEXT, error_type TEXT, request_id TEXT,
            updated_at TEXT, PRIMARY KEY (run_id, source, order_id)) WITHOUT ROWID
        """;
}
