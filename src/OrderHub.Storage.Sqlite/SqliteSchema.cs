namespace OrderHub.Storage.Sqlite;

/// <summary>The store's schema, as numbered migrations; a database is brought to the newest on open.</summary>
internal static class SqliteSchema
{
    public static IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE orders (
                source          TEXT NOT NULL,
                order_id        TEXT NOT NULL,
                status          TEXT NOT NULL,
                status_raw      TEXT NOT NULL,
                account_id      TEXT,
                last_updated_at TEXT,
                content_hash    TEXT NOT NULL,
                json            BLOB NOT NULL,
                stored_at       TEXT NOT NULL,
                PRIMARY KEY (source, order_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_orders_status ON orders (status);
            CREATE INDEX ix_orders_last_updated_at ON orders (last_updated_at);
            CREATE INDEX ix_orders_account_id ON orders (account_id);

            CREATE TABLE sync_items (
                run_id     TEXT NOT NULL,
                seq        INTEGER NOT NULL,
                source     TEXT NOT NULL,
                order_id   TEXT NOT NULL,
                state      INTEGER NOT NULL,
                attempts   INTEGER NOT NULL DEFAULT 0,
                reason     TEXT,
                error_type TEXT,
                request_id TEXT,
                updated_at TEXT,
                PRIMARY KEY (run_id, source, order_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_sync_items_run_state ON sync_items (run_id, state, seq);
            """),
        (2, """
            -- The order without personal data or raw payload, for readers not allowed to see personal data.
            ALTER TABLE orders ADD COLUMN public_json BLOB;
            """),
        (3, """
            -- Incremental syncs: per source and scope, how fresh the copy is and where an unfinished window stopped.
            CREATE TABLE sync_cursors (
                source               TEXT NOT NULL,
                scope                TEXT NOT NULL,
                high_water_mark      TEXT,
                completed_through    TEXT,
                window_start         TEXT,
                window_end           TEXT,
                page_token           TEXT,
                page_token_issued_at TEXT,
                pages_read           INTEGER NOT NULL DEFAULT 0,
                updated_at           TEXT NOT NULL,
                PRIMARY KEY (source, scope)
            ) WITHOUT ROWID;
            """),
        (4, """
            -- Orders move to a rowid table. A row is about 9 KB; a WITHOUT ROWID table keeps rows inside its key's
            -- B-tree, which SQLite advises only for rows under a twentieth of a page, and every insert then splits and
            -- rewrites pages full of other orders. The small columns come first and the public JSON before the full
            -- one: the store-hit read and the change check do not walk the full JSON's overflow pages.
            CREATE TABLE orders_v4 (
                source          TEXT NOT NULL,
                order_id        TEXT NOT NULL,
                status          TEXT NOT NULL,
                status_raw      TEXT NOT NULL,
                account_id      TEXT,
                last_updated_at TEXT,
                content_hash    TEXT NOT NULL,
                stored_at       TEXT NOT NULL,
                public_json     BLOB,
                json            BLOB NOT NULL
            );
            INSERT INTO orders_v4 (source, order_id, status, status_raw, account_id, last_updated_at, content_hash, stored_at, public_json, json)
                SELECT source, order_id, status, status_raw, account_id, last_updated_at, content_hash, stored_at, public_json, json FROM orders;
            DROP TABLE orders;
            ALTER TABLE orders_v4 RENAME TO orders;
            CREATE UNIQUE INDEX ux_orders_source_order_id ON orders (source, order_id);
            CREATE INDEX ix_orders_status ON orders (status);
            CREATE INDEX ix_orders_last_updated_at ON orders (last_updated_at);
            CREATE INDEX ix_orders_account_id ON orders (account_id);
            """),
        (5, $$"""
            -- The query over every order: the creation time, the seller's order id and the total in columns of their
            -- own, filled from each order's stored JSON, among the small columns (before the JSON, whose overflow
            -- pages a filter then does not walk). The sort keys are indexed as the query compares them: an order
            -- without the time has the empty key, earlier than every time, and ties are broken by source and id.
            CREATE TABLE orders_v5 (
                source          TEXT NOT NULL,
                order_id        TEXT NOT NULL,
                status          TEXT NOT NULL,
                status_raw      TEXT NOT NULL,
                account_id      TEXT,
                last_updated_at TEXT,
                created_at      TEXT,
                seller_order_id TEXT,
                total_amount    TEXT,
                total_currency  TEXT,
                content_hash    TEXT NOT NULL,
                stored_at       TEXT NOT NULL,
                public_json     BLOB,
                json            BLOB NOT NULL
            );
            INSERT INTO orders_v5 (source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id,
                    total_amount, total_currency, content_hash, stored_at, public_json, json)
                SELECT source, order_id, status, status_raw, account_id, last_updated_at,
                    {{UtcTimestampFunction}}(json_extract(doc, '$.createdAt')), json_extract(doc, '$.sellerOrderId'),
                    json_extract(doc, '$.total.amount'), json_extract(doc, '$.total.currencyCode'),
                    content_hash, stored_at, public_json, json
                FROM (SELECT *, CASE WHEN json_valid(CAST(json AS TEXT)) THEN CAST(json AS TEXT) END AS doc FROM orders);
            DROP TABLE orders;
            ALTER TABLE orders_v5 RENAME TO orders;
            CREATE UNIQUE INDEX ux_orders_source_order_id ON orders (source, order_id);
            CREATE INDEX ix_orders_status ON orders (status);
            CREATE INDEX ix_orders_account_id ON orders (account_id);
            CREATE INDEX ix_orders_seller_order_id ON orders (seller_order_id);
            CREATE INDEX ix_orders_updated_key ON orders (ifnull(last_updated_at, ''), source, order_id);
            CREATE INDEX ix_orders_created_key ON orders (ifnull(created_at, ''), source, order_id);
            """),
        (6, $$"""
            -- Both JSON views of an order in one compressed document (StoredDocument): the public JSON, then the full
            -- one, one Brotli stream, about a seventh of the two columns it replaces. The public JSON's length is a
            -- column: it tells where the public view ends, and a row without one (written before it existed) has none.
            CREATE TABLE orders_v6 (
                source          TEXT NOT NULL,
                order_id        TEXT NOT NULL,
                status          TEXT NOT NULL,
                status_raw      TEXT NOT NULL,
                account_id      TEXT,
                last_updated_at TEXT,
                created_at      TEXT,
                seller_order_id TEXT,
                total_amount    TEXT,
                total_currency  TEXT,
                content_hash    TEXT NOT NULL,
                stored_at       TEXT NOT NULL,
                public_size     INTEGER,
                document        BLOB NOT NULL
            );
            INSERT INTO orders_v6 (source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id,
                    total_amount, total_currency, content_hash, stored_at, public_size, document)
                SELECT source, order_id, status, status_raw, account_id, last_updated_at, created_at, seller_order_id,
                    total_amount, total_currency, content_hash, stored_at, length(CAST(public_json AS BLOB)),
                    {{DocumentFunction}}(CAST(public_json AS BLOB), CAST(json AS BLOB))
                FROM orders;
            DROP TABLE orders;
            ALTER TABLE orders_v6 RENAME TO orders;
            CREATE UNIQUE INDEX ux_orders_source_order_id ON orders (source, order_id);
            CREATE INDEX ix_orders_status ON orders (status);
            CREATE INDEX ix_orders_account_id ON orders (account_id);
            CREATE INDEX ix_orders_seller_order_id ON orders (seller_order_id);
            CREATE INDEX ix_orders_updated_key ON orders (ifnull(last_updated_at, ''), source, order_id);
            CREATE INDEX ix_orders_created_key ON orders (ifnull(created_at, ''), source, order_id);
            """),
        (7, """
            -- The change log (IOrderChangeLog): an entry per order created or updated, written in the order's own
            -- transaction. The one writer at a time makes commit order the position order; AUTOINCREMENT so that a
            -- pruned position is never handed out again. An entry keeps no JSON: a read joins the order as it is then.
            CREATE TABLE order_changes (
                position      INTEGER PRIMARY KEY AUTOINCREMENT,
                source        TEXT NOT NULL,
                order_id      TEXT NOT NULL,
                kind          TEXT NOT NULL,
                status_before TEXT,
                status_after  TEXT NOT NULL,
                changed_at    TEXT NOT NULL
            );
            CREATE INDEX ix_order_changes_changed_at ON order_changes (changed_at);
            -- The highest position pruned: a read after an older one would miss entries, and is refused.
            CREATE TABLE change_log_state (
                id             INTEGER PRIMARY KEY CHECK (id = 1),
                pruned_through INTEGER NOT NULL
            );
            INSERT INTO change_log_state (id, pruned_through) VALUES (1, 0);
            -- Named consumers' positions (webhook subscriptions, named readers).
            CREATE TABLE order_change_consumers (
                name       TEXT NOT NULL PRIMARY KEY,
                position   INTEGER NOT NULL,
                updated_at TEXT NOT NULL
            ) WITHOUT ROWID;
            """),
        (8, """
            -- A consumer marked failing (a webhook subscription past its retry horizon), seen by every process.
            ALTER TABLE order_change_consumers ADD COLUMN failing_since TEXT;
            ALTER TABLE order_change_consumers ADD COLUMN failure TEXT;
            """),
        (9, """
            -- A copy read from a bulk export (an order report) is partial: it never replaces a full one of the same or a newer update.
            ALTER TABLE orders ADD COLUMN partial INTEGER NOT NULL DEFAULT 0;
            """),
        (10, """
            -- A backfill's plan, kept with its cursor as JSON: the windows, each one's export job and state, the windows stored.
            ALTER TABLE sync_cursors ADD COLUMN backfill TEXT;
            """),
        (11, """
            -- The change notifications acted on (IOrderNotificationLedger), by id, so that a delivery again is dropped.
            CREATE TABLE order_notifications (
                source          TEXT NOT NULL,
                notification_id TEXT NOT NULL,
                seen_at         TEXT NOT NULL,
                PRIMARY KEY (source, notification_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_order_notifications_seen_at ON order_notifications (seen_at);
            """),
    ];

    /// <summary>The function migration 5 fills the creation time with, registered on the connection that migrates.</summary>
    public const string UtcTimestampFunction = "orderhub_utc_timestamp";

    /// <summary>The function migration 6 compresses an order's two views with (<c>StoredDocument.Encode</c>), registered likewise.</summary>
    public const string DocumentFunction = "orderhub_document";
}
