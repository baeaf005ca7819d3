using System.Text;
using Npgsql;

namespace OrderHub.Storage.PostgreSql;

/// <summary>The store's schema, as numbered migrations; a database is brought to the newest on open, under an advisory lock.</summary>
internal static class PostgreSqlSchema
{
    /// <summary>The advisory lock key every OrderHub process takes while it migrates ("ORDH").</summary>
    public const long MigrationLock = 0x4F524448;

    /// <summary>
    /// The advisory lock key a writing transaction takes, as its last statements, before it appends change log entries
    /// ("ORDC"): held until commit, it makes positions follow commit order, which a bare sequence does not.
    /// </summary>
    public const long ChangeLogLock = 0x4F524443;

    /// <summary>
    /// The first key of the two-key advisory locks a writing transaction takes on the orders it is about to create
    /// ("ORDN"), the second being a hash of the order's reference: two-key locks never meet the one-key ones above.
    /// </summary>
    public const int OrderCreationLockSpace = 0x4F52444E;

    public static IReadOnlyList<(int Version, string Sql)> Migrations { get; } =
    [
        (1, """
            CREATE TABLE orderhub_orders (
                source          text NOT NULL,
                order_id        text NOT NULL,
                status          text NOT NULL,
                status_raw      text NOT NULL,
                account_id      text,
                last_updated_at timestamptz,
                content_hash    text NOT NULL,
                json            bytea NOT NULL,
                public_json     jsonb NOT NULL,
                stored_at       timestamptz NOT NULL,
                PRIMARY KEY (source, order_id)
            );
            CREATE INDEX ix_orderhub_orders_status ON orderhub_orders (status);
            CREATE INDEX ix_orderhub_orders_last_updated_at ON orderhub_orders (last_updated_at);
            CREATE INDEX ix_orderhub_orders_account_id ON orderhub_orders (account_id);

            CREATE TABLE orderhub_sync_items (
                run_id       text NOT NULL,
                seq          bigint NOT NULL,
                source       text NOT NULL,
                order_id     text NOT NULL,
                state        smallint NOT NULL,
                attempts     integer NOT NULL DEFAULT 0,
                reason       text,
                error_type   text,
                request_id   text,
                updated_at   timestamptz NOT NULL DEFAULT now(),
                leased_by    uuid,
                leased_until timestamptz,
                PRIMARY KEY (run_id, source, order_id)
            );
            CREATE INDEX ix_orderhub_sync_items_run_state ON orderhub_sync_items (run_id, state, seq);
            CREATE INDEX ix_orderhub_sync_items_leased_by ON orderhub_sync_items (leased_by) WHERE leased_by IS NOT NULL;
            """),
        (2, """
            -- Incremental syncs: per source and scope, how fresh the copy is and where an unfinished window stopped.
            CREATE TABLE orderhub_sync_cursors (
                source               text NOT NULL,
                scope                text NOT NULL,
                high_water_mark      timestamptz,
                completed_through    timestamptz,
                window_start         timestamptz,
                window_end           timestamptz,
                page_token           text,
                page_token_issued_at timestamptz,
                pages_read           integer NOT NULL DEFAULT 0,
                updated_at           timestamptz NOT NULL,
                PRIMARY KEY (source, scope)
            );
            """),
        (3, """
            -- The query over every order: the creation time, the seller's order id and the total in columns of their
            -- own, filled from each order's document. The sort keys are indexed as the query compares them: an order
            -- without the time has the key -infinity, earlier than every time, and ties are broken by source and id,
            -- compared bytewise whatever the database's collation.
            ALTER TABLE orderhub_orders
                ADD COLUMN created_at timestamptz,
                ADD COLUMN seller_order_id text,
                ADD COLUMN total_amount numeric,
                ADD COLUMN total_currency text;
            UPDATE orderhub_orders SET
                created_at = (public_json->>'createdAt')::timestamptz,
                seller_order_id = public_json->>'sellerOrderId',
                total_amount = (public_json->'total'->>'amount')::numeric,
                total_currency = public_json->'total'->>'currencyCode';
            DROP INDEX ix_orderhub_orders_last_updated_at;
            CREATE INDEX ix_orderhub_orders_updated_key ON orderhub_orders ((COALESCE(last_updated_at, '-infinity'::timestamptz)), source COLLATE "C", order_id COLLATE "C");
            CREATE INDEX ix_orderhub_orders_created_key ON orderhub_orders ((COALESCE(created_at, '-infinity'::timestamptz)), source COLLATE "C", order_id COLLATE "C");
            CREATE INDEX ix_orderhub_orders_seller_order_id ON orderhub_orders (seller_order_id);
            ANALYZE orderhub_orders;
            """),
        (4, """
            -- Both JSON views of an order in one compressed document (StoredDocument): the public JSON, then the full
            -- one, one Brotli stream, about a seventh of the two columns it replaces. The public JSON's length is a
            -- column: it tells where the public view ends. The documents are written by code (CompressDocumentsAsync)
            -- before migration 5 drops the old columns. A document (about 2 KB) is kept in its row, not moved out to the
            -- TOAST table, unless the row would not fit a page otherwise: PostgreSQL's compression gains nothing on it.
            ALTER TABLE orderhub_orders
                ADD COLUMN public_size integer,
                ADD COLUMN document bytea,
                ALTER COLUMN json DROP NOT NULL,
                ALTER COLUMN public_json DROP NOT NULL;
            ALTER TABLE orderhub_orders ALTER COLUMN document SET STORAGE MAIN;
            """),
        (5, """
            ALTER TABLE orderhub_orders
                ALTER COLUMN document SET NOT NULL,
                DROP COLUMN json,
                DROP COLUMN public_json;
            """),
        (6, """
            -- The change log (IOrderChangeLog): an entry per order created or updated, written in the order's own
            -- transaction, numbered under ChangeLogLock so positions follow commit order. The sequence never hands a
            -- pruned position out again. An entry keeps no JSON: a read joins the order as it is then.
            CREATE TABLE orderhub_order_changes (
                position      bigint PRIMARY KEY,
                source        text NOT NULL,
                order_id      text NOT NULL,
                kind          text NOT NULL,
                status_before text,
                status_after  text NOT NULL,
                changed_at    timestamptz NOT NULL
            );
            CREATE SEQUENCE orderhub_order_changes_position OWNED BY orderhub_order_changes.position;
            CREATE INDEX ix_orderhub_order_changes_changed_at ON orderhub_order_changes (changed_at);
            -- The highest position pruned: a read after an older one would miss entries, and is refused.
            CREATE TABLE orderhub_change_log_state (
                id             integer PRIMARY KEY CHECK (id = 1),
                pruned_through bigint NOT NULL
            );
            INSERT INTO orderhub_change_log_state (id, pruned_through) VALUES (1, 0);
            -- Named consumers' positions (webhook subscriptions, named readers).
            CREATE TABLE orderhub_order_change_consumers (
                name       text PRIMARY KEY,
                position   bigint NOT NULL,
                updated_at timestamptz NOT NULL
            );
            """),
        (7, """
            -- A consumer marked failing (a webhook subscription past its retry horizon), seen by every process.
            ALTER TABLE orderhub_order_change_consumers ADD COLUMN failing_since timestamptz, ADD COLUMN failure text;
            """),
        (8, """
            -- A copy read from a bulk export (an order report) is partial: it never replaces a full one of the same or a newer update.
            ALTER TABLE orderhub_orders ADD COLUMN partial boolean NOT NULL DEFAULT false;
            """),
        (9, """
            -- A backfill's plan, kept with its cursor as JSON: the windows, each one's export job and state, the windows stored.
            ALTER TABLE orderhub_sync_cursors ADD COLUMN backfill text;
            """),
        (10, """
            -- The change notifications acted on (IOrderNotificationLedger), by id, so that a delivery again is dropped.
            CREATE TABLE orderhub_order_notifications (
                source          text NOT NULL,
                notification_id text NOT NULL,
                seen_at         timestamptz NOT NULL,
                PRIMARY KEY (source, notification_id)
            );
            CREATE INDEX ix_orderhub_order_notifications_seen_at ON orderhub_order_notifications (seen_at);
            """),
    ];

    /// <summary>What a migration does in code once its statements ran, keyed by its version: the rewrites SQL cannot do.</summary>
    public static IReadOnlyDictionary<int, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>> Rewrites { get; } =
        new Dictionary<int, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>> { [4] = CompressDocumentsAsync };

    // Migration 4's rows, a thousand at a time in key order: each row's two views compressed into its document, and the
    // old columns emptied, so what they held can be reused once PostgreSQL vacuums the table. The public view is the
    // text of the jsonb it was kept as (the same members, in jsonb's own order).
    private static async Task CompressDocumentsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        const int Batch = 1000;
        (string Source, string OrderId)? after = null;
        while (true)
        {
            var sources = new List<string>(Batch);
            var ids = new List<string>(Batch);
            var sizes = new List<int>(Batch);
            var documents = new List<byte[]>(Batch);
            using (var read = new NpgsqlCommand(
                after is null
                    ? "SELECT source, order_id, json, public_json::text FROM orderhub_orders ORDER BY source, order_id LIMIT @batch"
                    : "SELECT source, order_id, json, public_json::text FROM orderhub_orders WHERE (source, order_id) > (@source, @id) ORDER BY source, order_id LIMIT @batch",
                connection,
                transaction))
            {
                read.Parameters.AddWithValue("batch", Batch);
                if (after is { } position)
                {
                    read.Parameters.AddWithValue("source", position.Source);
                    read.Parameters.AddWithValue("id", position.OrderId);
                }

                using var reader = await read.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var publicJson = Encoding.UTF8.GetBytes(reader.GetString(3));
                    sources.Add(reader.GetString(0));
                    ids.Add(reader.GetString(1));
                    sizes.Add(publicJson.Length);
                    documents.Add(StoredDocument.Encode(publicJson, reader.GetFieldValue<byte[]>(2)));
                }
            }

            if (sources.Count == 0)
            {
                return;
            }

            using (var write = new NpgsqlCommand(
                """
                UPDATE orderhub_orders o SET public_size = r.public_size, document = r.document, json = NULL, public_json = NULL
                FROM unnest(@sources, @ids, @sizes, @documents) AS r(source, order_id, public_size, document)
                WHERE o.source = r.source AND o.order_id = r.order_id
                """,
                connection,
                transaction))
            {
                write.Parameters.AddWithValue("sources", sources.ToArray());
                write.Parameters.AddWithValue("ids", ids.ToArray());
                write.Parameters.AddWithValue("sizes", sizes.ToArray());
                write.Parameters.AddWithValue("documents", documents.ToArray());
                await write.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            after = (sources[^1], ids[^1]);
        }
    }
}
