using VSmenu.Data.Outbox;

namespace VSmenu.Data.Sync;

/// <summary>
/// The database side of change tracking for offline sync: one trigger function on every synced table, so that nothing
/// that writes those tables (EF, raw SQL in a job, a cascade) has to remember it.
/// </summary>
/// <remarks>
/// It takes no lock another transaction waits on: each change is a row keyed by the writing transaction's id, so two
/// transactions never touch the same row of <c>sync_changes</c> and the dinner rush's commits are not serialised
/// (a per-restaurant counter bumped at commit was, and it tripled the rush's order latency). A record changed twice by
/// one transaction is one row. The first change of a transaction queues <c>sync.changed</c> in the outbox (a
/// transaction-local setting remembers it).
/// </remarks>
public static class SyncTracking
{
    public const string ChangedEvent = "sync.changed";

    /// <summary>The synced tables, the entity each row belongs to, and the column naming that entity's id.</summary>
    public static readonly IReadOnlyList<(string Table, string Entity, string IdColumn)> Tables =
    [
        ("categories", SyncEntities.Categories, "id"),
        ("products", SyncEntities.Products, "id"),
        ("customers", SyncEntities.Customers, "id"),
        ("addresses", SyncEntities.Customers, "customer_id"),
        ("tables", SyncEntities.Tables, "id"),
        ("orders", SyncEntities.Orders, "id"),
        ("order_items", SyncEntities.Orders, "order_id"),
    ];

    /// <summary>
    /// The transaction-local setting naming the Pusher socket whose request makes the transaction's changes: their
    /// <c>sync.changed</c> skips that socket (<c>toOthers</c>), as a terminal's push pulls its own changes right after.
    /// </summary>
    public const string CausingSocketSetting = "vsmenu.causing_socket";

    public static string CreateSql() => FunctionSql() + string.Concat(Tables.Select(table => $"""

        CREATE TRIGGER {table.Table}_sync AFTER INSERT OR UPDATE OR DELETE ON {table.Table}
            FOR EACH ROW EXECUTE FUNCTION sync_track('{table.Entity}', '{table.IdColumn}');
        """));

    /// <summary>The trigger function every synced table runs; replacing it changes what every trigger does.</summary>
    public static string FunctionSql() => $$"""
            CREATE OR REPLACE FUNCTION sync_track() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed_row jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
                row_tenant bigint := (changed_row ->> 'tenant_id')::bigint;
                row_entity_id bigint := (changed_row ->> TG_ARGV[1])::bigint;
                row_op text := CASE WHEN TG_OP = 'DELETE' AND TG_ARGV[1] = 'id' THEN '{{SyncOps.Delete}}' ELSE '{{SyncOps.Put}}' END;
                tx_version bigint := pg_current_xact_id()::text::bigint;
                announced text := 'vsmenu.sync_announced_' || row_tenant;
            BEGIN
                -- A restaurant being deleted has nobody left to sync with.
                IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = row_tenant) THEN
                    RETURN NULL;
                END IF;
                IF current_setting(announced, true) IS DISTINCT FROM 'yes' THEN
                    PERFORM set_config(announced, 'yes', true);
                    INSERT INTO outbox_messages (tenant_id, channel, event, payload, socket_id, created_at)
                        VALUES (row_tenant, '{{BroadcastChannels.SyncPrefix}}' || row_tenant, '{{ChangedEvent}}', jsonb_build_object('cursor', tx_version::text),
                            NULLIF(current_setting('{{CausingSocketSetting}}', true), ''), now());
                END IF;
                -- Only this transaction writes rows of its version: the conflict is with its own earlier change of the record.
                INSERT INTO sync_changes AS change (tenant_id, version, entity, entity_id, op, changed_at)
                    VALUES (row_tenant, tx_version, TG_ARGV[0], row_entity_id, row_op, now())
                    ON CONFLICT (tenant_id, version, entity, entity_id) DO UPDATE SET op = excluded.op
                    WHERE excluded.op = '{{SyncOps.Delete}}';
                RETURN NULL;
            END $$;
            """;

    public static string DropSql() =>
        string.Concat(Tables.Select(table => $"DROP TRIGGER {table.Table}_sync ON {table.Table};\n")) + "DROP FUNCTION sync_track();";

    /// <summary>Records every row that exists when tracking starts as a change of this transaction, so a first pull finds it.</summary>
    public static string BackfillSql() =>
        string.Concat(Tables.Where(table => table.IdColumn == "id").Select(table => $"""
            INSERT INTO sync_changes (tenant_id, version, entity, entity_id, op, changed_at)
                SELECT tenant_id, pg_current_xact_id()::text::bigint, '{table.Entity}', id, '{SyncOps.Put}', now() FROM {table.Table};

            """));
}
