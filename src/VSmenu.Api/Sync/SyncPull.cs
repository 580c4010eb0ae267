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
/// Serves a restaurant's changes after a cursor, a page at a time, each with the record as the REST API shows it now.
/// The page and its records are read in one snapshot, so a record is never newer or older than the version beside it.
/// </summary>
public sealed class SyncPull(VsmenuDbContext db, CurrentTenant tenant)
{
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    private static readonly IReadOnlySet<string> OrderWithItems = new HashSet<string> { OrderIncludes.Items };

    /// <summary>
    /// The page after <paramref name="after"/> (from the start without one), or null when the cursor is behind the kept
    /// tombstones or ahead of the restaurant.
    /// </summary>
    public async Task<SyncPage?> PullAsync(SyncCursor? after, int limit, CancellationToken cancellationToken)
    {
        var tenantId = tenant.TenantId ?? throw new InvalidOperationException("A pull needs a restaurant.");
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async cancellation =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellation);
            var counter = await db.SyncCounters.AsNoTracking().FirstOrDefaultAsync(c => c.TenantId == tenantId, cancellation)
                ?? new SyncCounter { TenantId = tenantId };
            if (after is { } given && (given.Version < counter.PurgedVersion || given.Version > counter.Version))
            {
                return null;
            }

            var cursor = after ?? SyncCursor.Start;

            var (version, entity, entityId) = cursor.Key;
            var rows = await db.SyncChanges
                .FromSql($"""
                    SELECT * FROM sync_changes
                    WHERE tenant_id = {tenantId} AND (version, entity, entity_id) > ({version}, {entity}, {entityId})
                    ORDER BY version, entity, entity_id
                    LIMIT {limit + 1}
                    """)
                .OrderBy(c => c.Version).ThenBy(c => c.Entity).ThenBy(c => c.EntityId)
                .AsNoTracking()
                .ToListAsync(cancellation);
            var page = rows.Take(limit).ToList();
            var records = await LoadRecordsAsync(page, cancellation);
            var changes = page.ConvertAll(change => records.TryGetValue((change.Entity, change.EntityId), out var record)
                ? new SyncChangeResource(change.Entity, SyncOps.Put, change.EntityId, record.ClientId, change.Version, record.Data)
                : new SyncChangeResource(change.Entity, SyncOps.Delete, change.EntityId, null, change.Version, null));
            // With nothing more to serve, the snapshot has every change up to the counter's version: the cursor moves there.
            var hasMore = rows.Count > limit;
            var next = hasMore ? SyncCursor.After(page[^1]) : new SyncCursor(counter.Version, null, 0);
            return new SyncPage(next.ToString(), hasMore, changes);
        }, cancellationToken);
    }

    /// <summary>The records of the page's changes that exist, by entity and id, as their REST resources.</summary>
    private async Task<Dictionary<(string Entity, long Id), (Guid? ClientId, object Data)>> LoadRecordsAsync(
        List<SyncChange> page, CancellationToken cancellationToken)
    {
        var wanted = page.Where(change => change.Op == SyncOps.Put).ToLookup(change => change.Entity, change => change.EntityId);
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
