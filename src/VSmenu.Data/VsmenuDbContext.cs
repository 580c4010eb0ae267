using System.Reflection;
using Microsoft.EntityFrameworkCore;
using VSmenu.Data.Customers;
using VSmenu.Data.Idempotency;
using VSmenu.Data.Inventory;
using VSmenu.Data.Invoices;
using VSmenu.Data.Jobs;
using VSmenu.Data.Menu;
using VSmenu.Data.Orders;
using VSmenu.Data.Outbox;
using VSmenu.Data.Payments;
using VSmenu.Data.Reports;
using VSmenu.Data.Sync;
using VSmenu.Data.Tables;
using VSmenu.Data.Tenancy;
using VSmenu.Data.Tenants;
using VSmenu.Data.Users;
using VSmenu.Queue;

namespace VSmenu.Data;

/// <summary>
/// The application database. Tenant isolation lives here, once: every <see cref="ITenantOwned"/> query is filtered
/// to <see cref="CurrentTenant"/>, and <see cref="TenantGuard"/> checks every write.
/// </summary>
/// <remarks>
/// Pooled (<see cref="VsmenuDataExtensions.AddVsmenuData"/>): a scope leases an instance and gives it the scope's tenant
/// (<see cref="ActingFor"/>); returning it to the pool takes the tenant and anything unsaved away again.
/// </remarks>
public sealed class VsmenuDbContext(DbContextOptions<VsmenuDbContext> options) : DbContext(options)
{
    /// <summary>A context nobody gave a tenant acts for none: it sees no tenant's rows and writes none.</summary>
    private CurrentTenant _currentTenant = new();

    public DbSet<Tenant> Tenants => Set<Tenant>();

    public DbSet<User> Users => Set<User>();

    public DbSet<PersonalAccessToken> PersonalAccessTokens => Set<PersonalAccessToken>();

    public DbSet<Category> Categories => Set<Category>();

    public DbSet<Product> Products => Set<Product>();

    public DbSet<Customer> Customers => Set<Customer>();

    public DbSet<Address> Addresses => Set<Address>();

    public DbSet<DiningTable> Tables => Set<DiningTable>();

    public DbSet<Order> Orders => Set<Order>();

    public DbSet<OrderItem> OrderItems => Set<OrderItem>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    public DbSet<OutboxJob> OutboxJobs => Set<OutboxJob>();

    public DbSet<FailedJobRecord> FailedJobs => Set<FailedJobRecord>();

    public DbSet<Invoice> Invoices => Set<Invoice>();

    public DbSet<Payment> Payments => Set<Payment>();

    public DbSet<StockMovement> StockMovements => Set<StockMovement>();

    public DbSet<DailyReport> DailyReports => Set<DailyReport>();

    public DbSet<SyncChange> SyncChanges => Set<SyncChange>();

    public DbSet<SyncPurge> SyncPurges => Set<SyncPurge>();

    public DbSet<SyncTerminal> SyncTerminals => Set<SyncTerminal>();

    public DbSet<SyncMutation> SyncMutations => Set<SyncMutation>();

    private readonly List<(Func<BroadcastEvent> Describe, string? SocketId)> _pendingBroadcasts = [];
    private readonly List<Func<IEnumerable<IJob>>> _pendingJobs = [];

    /// <summary>
    /// Records an event in the outbox with the next save, in its transaction. The event is described at save time,
    /// once ids, tenant and timestamps are assigned, so its payload shows what was committed.
    /// </summary>
    public void BroadcastOnSave(Func<BroadcastEvent> describe, string? socketId) => _pendingBroadcasts.Add((describe, socketId));

    /// <summary>
    /// Records jobs in the outbox with the next save, in its transaction, described at save time like broadcasts. Each
    /// envelope carries the current trace, so the jobs' spans join the request that caused them.
    /// </summary>
    public void DispatchOnSave(Func<IEnumerable<IJob>> describe) => _pendingJobs.Add(describe);

    /// <summary>
    /// Runs <paramref name="work"/> (its saves, its locks) in one transaction under the execution strategy, which runs it
    /// again whole after a transient failure, and commits it. Inside a transaction already open (a till's push runs every
    /// change of a batch in one) it joins that one, which commits or retries it with the rest: beginning a second one threw,
    /// and a till's push that closed a dine-in order failed with a 500 on every try, holding the till's queue behind it.
    /// </summary>
    public Task InTransactionAsync(Func<Task> work, CancellationToken cancellationToken) =>
        InTransactionAsync(
            async () =>
            {
                await work();
                return true;
            },
            cancellationToken);

    /// <inheritdoc cref="InTransactionAsync(Func{Task}, CancellationToken)"/>
    public Task<T> InTransactionAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken) =>
        Database.CurrentTransaction is not null ? work() : Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await Database.BeginTransactionAsync(cancellationToken);
            var result = await work();
            await transaction.CommitAsync(cancellationToken);
            return result;
        });

    /// <summary>Read by the query filters on every query, so it always reflects the tenant of the moment.</summary>
    private long? TenantId => _currentTenant.TenantId;

    /// <summary>Makes this context act for <paramref name="tenant"/>, the unit of work's, until it goes back to the pool.</summary>
    public VsmenuDbContext ActingFor(CurrentTenant tenant)
    {
        _currentTenant = tenant;
        return this;
    }

    /// <summary>An operation let go of while it still waited on the server (<see cref="Resilience.FailFastRetryingExecutionStrategy"/>).</summary>
    internal Task? AbandonedOperation { get; set; }

    /// <summary>
    /// Disposes at once unless the connection still waits on the server (an operation let go of, or a result still being
    /// read after its request failed): Npgsql would then read the rest of the answer first, for as long as the server
    /// hangs, and the request disposing this context would wait with it. Such a context is disposed in the background,
    /// after its operation has ended.
    /// </summary>
    public override ValueTask DisposeAsync()
    {
        if (!WaitsOnServer)
        {
            return ReleaseAsync();
        }

        _ = (AbandonedOperation ?? Task.CompletedTask).ContinueWith(_ => ReleaseAsync().AsTask(), TaskScheduler.Default).Unwrap();
        return ValueTask.CompletedTask;
    }

    public override void Dispose()
    {
        if (WaitsOnServer)
        {
            _ = DisposeAsync();
        }
        else
        {
            Forget();
            base.Dispose();
        }
    }

    private ValueTask ReleaseAsync()
    {
        Forget();
        return base.DisposeAsync();
    }

    /// <summary>Drops what belonged to the unit of work, so the next lease of this instance starts from nothing.</summary>
    private void Forget()
    {
        _currentTenant = new CurrentTenant();
        _pendingBroadcasts.Clear();
        _pendingJobs.Clear();
        AbandonedOperation = null;
    }

    private bool WaitsOnServer
    {
        get
        {
            if (AbandonedOperation is { IsCompleted: false })
            {
                return true;
            }

            try
            {
                return Database.GetDbConnection() is Npgsql.NpgsqlConnection { FullState: var state }
                    && (state & (System.Data.ConnectionState.Executing | System.Data.ConnectionState.Fetching)) != 0;
            }
            catch (ObjectDisposedException)
            {
                // Never used, and its scope is already gone: nothing of it waits on the server.
                return false;
            }
        }
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        StampChanges();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        StampChanges();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration)
    {
        configuration.Properties<Role>().HaveConversion<SnakeCaseEnumConverter<Role>>();
        configuration.Properties<TableStatus>().HaveConversion<SnakeCaseEnumConverter<TableStatus>>();
        configuration.Properties<OrderType>().HaveConversion<SnakeCaseEnumConverter<OrderType>>();
        configuration.Properties<OrderStatus>().HaveConversion<SnakeCaseEnumConverter<OrderStatus>>();
        configuration.Properties<PaymentMethod>().HaveConversion<SnakeCaseEnumConverter<PaymentMethod>>();
        configuration.Properties<PaymentStatus>().HaveConversion<SnakeCaseEnumConverter<PaymentStatus>>();
        configuration.Properties<decimal>().HavePrecision(Money.Precision, Money.Scale);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(VsmenuDbContext).Assembly);
        OrderConfiguration.ConfigureIdBlocks(modelBuilder);

        var filterTenant = typeof(VsmenuDbContext).GetMethod(nameof(FilterToCurrentTenant), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entity in modelBuilder.Model.GetEntityTypes().Where(entity => typeof(ITenantOwned).IsAssignableFrom(entity.ClrType)))
        {
            filterTenant.MakeGenericMethod(entity.ClrType).Invoke(this, [modelBuilder]);
        }

        // Failures of platform jobs have no tenant: the filter shows a restaurant its own, and nobody else's.
        modelBuilder.Entity<FailedJobRecord>().HasQueryFilter(failed => failed.TenantId == TenantId);
    }

    private void FilterToCurrentTenant<TEntity>(ModelBuilder modelBuilder) where TEntity : class, ITenantOwned
    {
        var entity = modelBuilder.Entity<TEntity>();
        entity.HasQueryFilter(owned => owned.TenantId == TenantId);
        // A key that starts with the tenant already serves the filter.
        if (entity.Metadata.FindPrimaryKey()?.Properties[0].Name != nameof(ITenantOwned.TenantId))
        {
            entity.HasIndex(owned => owned.TenantId);
        }
    }

    private void StampChanges()
    {
        // One change scan (Entries() detects changes) for the guard and the timestamps alike.
        var changes = ChangeTracker.Entries().Where(entry => entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted).ToList();
        TenantGuard.Apply(changes, TenantId);

        // PostgreSQL keeps microseconds: stamping at that precision makes the saved object equal what a re-read returns.
        var now = DateTimeOffset.UtcNow;
        now = now.AddTicks(-(now.Ticks % 10));
        foreach (var entry in changes)
        {
            if (entry is { State: EntityState.Added, Entity: ICreationStamped created })
            {
                created.CreatedAt = now;
            }

            if (entry is { State: EntityState.Added or EntityState.Modified, Entity: ITimestamped timestamped })
            {
                timestamped.UpdatedAt = now;
            }
        }

        var messages = _pendingBroadcasts.SelectMany(pending => pending.Describe().ToOutboxMessages(pending.SocketId)).ToList();
        _pendingBroadcasts.Clear();
        AddToOutbox(OutboxMessages, messages, now);

        var jobs = _pendingJobs.SelectMany(describe => describe())
            .Select(job => OutboxJob.For(JobEnvelope.For(job, dispatch: null, TimeProvider.System)))
            .ToList();
        _pendingJobs.Clear();
        AddToOutbox(OutboxJobs, jobs, now);
    }

    /// <summary>Adds rows described at save time, stamped with the save's instant and checked like every other write.</summary>
    private void AddToOutbox<TRow>(DbSet<TRow> table, List<TRow> rows, DateTimeOffset now) where TRow : class, ICreationStamped
    {
        foreach (var row in rows)
        {
            row.CreatedAt = now;
        }

        table.AddRange(rows);
        TenantGuard.Apply(rows.Select(row => Entry(row)), TenantId);
    }
}
