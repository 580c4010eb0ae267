using System.Data;
using System.Text.Json.Serialization;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Customers;
using VSmenu.Api.Menu;
using VSmenu.Api.Orders;
using VSmenu.Api.Tables;
using VSmenu.Data;
using VSmenu.Data.Sync;
using VSmenu.Data.Tenancy;

namespace VSmenu.Api.Sync;

/// <summary>
/// Serves a restaurant's changes after a cursor, a page at a time, each with the record as the REST API shows it now,
/// read in one snapshot. Only changes of transactions below the snapshot's oldest running transaction are served: no
/// change can appear below that line any more, so a transaction that began earlier and commits later is served once it
/// has committed, after what a client already pulled. While changes committed before the pull lie above the line (a
/// long transaction is running), <c>has_more</c> stays true, so that pulling until it is false returns them all.
/// </summary>
public sealed class SyncPull(VsmenuDbContext db, CurrentTenant tenant, SyncMetrics metrics, TimeProvider time)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    private static readonly IReadOnlySet<string> OrderWithItems = new HashSet<string> { OrderIncludes.Items };

    /// <summary>
    /// The page after <paramref name="after"/> (from the start without one), or null when the cursor is behind the kept
    /// tombstones or ahead of anything this database has written.
    /// </summary>
    public async Task<SyncPage?> PullAsync(SyncCursor? after, int limit, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("A pull needs a restaurant.");
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async cancellation =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellation);
            var line = (await db.Database.SqlQuery<long>($"SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS \"Value\"").ToListAsync(cancellation))[0];
            var purged = await db.SyncPurges.AsNoTracking().Where(p => p.TenantId == tenantId).Select(p => p.PurgedVersion).FirstOrDefaultAsync(cancellation);
            if (after is { } given && (given.Version <= purged || given.Version > line))
            {
                return null;
            }

            var (version, entity, entityId) = (after ?? SyncCursor.Start).Key;
            var rows = await db.SyncChanges
                .FromSql($"""
                    SELECT * FROM sync_changes
                    WHERE tenant_id = {tenantId} AND (version, entity, entity_id) > ({version}, {entity}, {entityId}) AND version < {line}
                    ORDER BY version, entity, entity_id
                    LIMIT {limit + 1}
                    """)
                .OrderBy(c => c.Version).ThenBy(c => c.Entity).ThenBy(c => c.EntityId)
                .AsNoTracking()
                .ToListAsync(cancellation);
            var page = rows.Take(limit).ToList();
            if (page.Count > 0)
            {
                metrics.Pulled(page.Min(change => change.ChangedAt), time.GetUtcNow());
            }

            var hasMore = rows.Count > limit
                || await db.SyncChanges.AnyAsync(c => c.TenantId == tenantId && c.Version >= line, cancellation);

            // A record changed by several transactions of the page is served once, where it last changed.
            var lastSeen = new Dictionary<(string, long), int>();
            for (var index = 0; index < page.Count; index++)
            {
                lastSeen[(page[index].Entity, page[index].EntityId)] = index;
            }

            var latest = page.Where((change, index) => lastSeen[(change.Entity, change.EntityId)] == index).ToList();
            var records = await LoadRecordsAsync(latest, cancellation);
            var changes = latest.ConvertAll(change => records.TryGetValue((change.Entity, change.EntityId), out var record)
                ? new SyncChangeResource(change.Entity, SyncOps.Put, change.EntityId, record.ClientId, change.Version, record.Data)
                : new SyncChangeResource(change.Entity, SyncOps.Delete, change.EntityId, null, change.Version, null));
            var next = rows.Count > limit ? SyncCursor.After(page[^1]) : new SyncCursor(line, null, 0);
            return new SyncPage(next.ToString(), hasMore, changes);
        }, cancellationToken);
    }

    /// <summary>The records of the page's changes that exist, by entity and id, as their REST resources.</summary>
    private async Task<Dictionary<(string Entity, long Id), (Guid? ClientId, object Data)>> LoadRecordsAsync(
        List<SyncChange> page, CancellationToken cancellationToken)
    {
        var wanted = page.ToLookup(change => change.Entity, change => change.EntityId);
        var records = new Dictionary<(string, long), (Guid?, object)>();

        void Add<T>(string entity, IEnumerable<T> found, Func<T, long> id, Func<T, object> resource, Func<T, Guid?>? clientId = null)
        {
            foreach (var record in found)
            {
                records[(entity, id(record))] = (clientId?.Invoke(record), resource(record));
            }
        }

        if (wanted[SyncEntities.Categories].ToList() is { Count: > 0 } categoryIds)
        {
            Add(SyncEntities.Categories, await db.Categories.AsNoTracking().Where(c => categoryIds.Contains(c.Id)).ToListAsync(cancellationToken),
                c => c.Id, c => CategoryResource.From(c, withProducts: false));
        }

        if (wanted[SyncEntities.Products].ToList() is { Count: > 0 } productIds)
        {
            Add(SyncEntities.Products, await db.Products.AsNoTracking().Where(p => productIds.Contains(p.Id)).ToListAsync(cancellationToken),
                p => p.Id, p => ProductResource.From(p, withCategory: false));
        }

        if (wanted[SyncEntities.Customers].ToList() is { Count: > 0 } customerIds)
        {
            Add(SyncEntities.Customers,
                await db.Customers.AsNoTracking().Include(c => c.Addresses).Where(c => customerIds.Contains(c.Id)).ToListAsync(cancellationToken),
                c => c.Id, c => CustomerResource.From(c, withAddresses: true));
        }

        if (wanted[SyncEntities.Tables].ToList() is { Count: > 0 } tableIds)
        {
            Add(SyncEntities.Tables, await db.Tables.AsNoTracking().Where(t => tableIds.Contains(t.Id)).ToListAsync(cancellationToken),
                t => t.Id, TableResource.From);
        }

        if (wanted[SyncEntities.Orders].ToList() is { Count: > 0 } orderIds)
        {
            Add(SyncEntities.Orders,
                await db.Orders.AsNoTracking().Include(o => o.Items).AsSplitQuery().Where(o => orderIds.Contains(o.Id)).ToListAsync(cancellationToken),
                o => o.Id, o => OrderResource.From(o, OrderWithItems), o => o.ClientId);
        }

        return records;
    }
}

/// <summary>One change as a pull serves it: <c>data</c> is the record's REST resource, absent for a delete.</summary>
public sealed record SyncChangeResource(
    string Entity,
    string Op,
    long Id,
    Guid? ClientId,
    long Version,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Data);

public sealed record SyncPage(string Cursor, bool HasMore, IReadOnlyList<SyncChangeResource> Changes);
