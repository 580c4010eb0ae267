using VSmenu.Data.Outbox;

namespace VSmenu.Data.Sync;

/// <summary>
/// The database side of change tracking for offline sync: one trigger function, attached as a deferred constraint
/// trigger to every synced table, so that nothing that writes those tables (EF, raw SQL in a job, a cascade) has to
/// remember it.
/// </summary>
/// <remarks>
/// Deferred, it runs at commit, after every other statement of the transaction: the restaurant's counter row is locked
/// last and only for the commit, so it never waits inside a lock cycle with the transaction's other rows, and the
/// version it takes is higher than that of every transaction of the restaurant that committed before. The first change
/// of a transaction bumps the counter and queues <c>sync.changed</c> in the outbox; the version is then kept in a
/// transaction-local setting for the transaction's other changes.
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

    public static string CreateSql()
    {
        var triggers = string.Concat(Tables.Select(table => $"""

            CREATE CONSTRAINT TRIGGER {table.Table}_sync AFTER INSERT OR UPDATE OR DELETE ON {table.Table}
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION sync_track('{table.Entity}', '{table.IdColumn}');
            """));
        return $$"""
            CREATE FUNCTION sync_track() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                changed_row jsonb := to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END);
                row_tenant bigint := (changed_row ->> 'tenant_id')::bigint;
                row_entity_id bigint := (changed_row ->> TG_ARGV[1])::bigint;
                row_op text := CASE WHEN TG_OP = 'DELETE' AND TG_ARGV[1] = 'id' THEN '{{SyncOps.Delete}}' ELSE '{{SyncOps.Put}}' END;
                version_setting text := 'vsmenu.sync_version_' || row_tenant;
                tx_version bigint := nullif(current_setting(version_setting, true), '')::bigint;
            BEGIN
                IF tx_version IS NULL THEN
                    -- A restaurant deleted in this same transaction has nobody left to sync with.
                    IF NOT EXISTS (SELECT 1 FROM tenants WHERE id = row_tenant) THEN
                        RETURN NULL;
                    END IF;
                    INSERT INTO sync_counters AS counter (tenant_id, version, purged_version) VALUES (row_tenant, 1, 0)
                        ON CONFLICT (tenant_id) DO UPDATE SET version = counter.version + 1
                        RETURNING counter.version INTO tx_version;
                    PERFORM set_config(version_setting, tx_version::text, true);
                    INSERT INTO outbox_messages (tenant_id, channel, event, payload, created_at)
                        VALUES (row_tenant, '{{BroadcastChannels.SyncPrefix}}' || row_tenant, '{{ChangedEvent}}', jsonb_build_object('cursor', tx_version::text), now());
                END IF;
                -- Ids are never used again: a record deleted stays a tombstone whatever its items or addresses did after.
                INSERT INTO sync_changes AS change (tenant_id, entity, entity_id, version, op, changed_at)
                    VALUES (row_tenant, TG_ARGV[0], row_entity_id, tx_version, row_op, clock_timestamp())
                    ON CONFLICT (tenant_id, entity, entity_id) DO UPDATE
                    SET version = excluded.version, changed_at = excluded.changed_at,
                        op = CASE WHEN change.op = '{{SyncOps.Delete}}' THEN change.op ELSE excluded.op END;
                RETURN NULL;
            END $$;
            {{triggers}}
            """;
    }

    public static string DropSql() =>
        string.Concat(Tables.Select(table => $"DROP TRIGGER {table.Table}_sync ON {table.Table};\n")) + "DROP FUNCTION sync_track();";

    /// <summary>Records every row that exists when tracking starts as a change of version 1, so a first pull finds it.</summary>
    public static string BackfillSql() =>
        string.Concat(Tables.Where(table => table.IdColumn == "id").Select(table => $"""
            INSERT INTO sync_changes (tenant_id, entity, entity_id, version, op, changed_at)
                SELECT tenant_id, '{table.Entity}', id, 1, '{SyncOps.Put}', now() FROM {table.Table};

            """))
        + "INSERT INTO sync_counters (tenant_id, version, purged_version) SELECT id, 1, 0 FROM tenants;";
}
