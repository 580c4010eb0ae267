using System.Diagnostics;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Orders;
using VSmenu.Data;
using VSmenu.Data.Orders;
using VSmenu.Data.Sync;
using VSmenu.Data.Tenancy;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VSmenu.Api.Sync;

/// <summary>
/// Applies a terminal's mutations in id order, each once: in one transaction that holds the terminal's row, so that
/// concurrent copies of a push wait for each other and the later ones replay the stored results. Each mutation runs
/// through <see cref="OrderCommands"/>, as the REST endpoints do: a command rejects before it writes, or its one save
/// fails behind the savepoint EF takes inside a transaction, so a rejected mutation leaves nothing but its result, and
/// it still counts as done so that it never blocks the ones behind it.
/// </summary>
public sealed class SyncPush(VsmenuDbContext db, CurrentTenant tenant, OrderCommands orders, SyncMetrics metrics, IOptions<JsonOptions> json, TimeProvider time)
{
    private static readonly ActivitySource Tracing = new(typeof(SyncPush).Assembly.GetName().Name!);

    private JsonSerializerOptions Options => json.Value.SerializerOptions;

    private long TenantId => tenant.TenantId ?? throw new InvalidOperationException("A push needs a restaurant.");

    public async Task<IResult> PushAsync(PushRequest body, ClaimsPrincipal caller, string? socketId, CancellationToken cancellationToken)
    {
        var clientId = body.ClientId!.Value;
        var mutations = body.Mutations!.Select(mutation => mutation!).ToList();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync<IResult>(async cancellation =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellation);
            if (socketId is not null)
            {
                // The terminal pulls a push's changes right after it, so their sync.changed is for the others only.
                await db.Database.ExecuteSqlAsync($"SELECT set_config({SyncTracking.CausingSocketSetting}, {socketId}, true)", cancellation);
            }

            var last = await LockTerminalAsync(clientId, cancellation);
            var first = mutations[0].Id!.Value;
            if (first > last + 1)
            {
                return TypedResults.Json(new MutationGapBody(ApiText.MutationGap.Format(last + 1), last), statusCode: StatusCodes.Status409Conflict);
            }

            var stored = await db.SyncMutations.AsNoTracking()
                .Where(m => m.ClientId == clientId && m.MutationId >= first && m.MutationId <= last)
                .ToDictionaryAsync(m => m.MutationId, m => m.Result, cancellation);
            var results = new List<JsonElement>(mutations.Count);
            var done = new List<SyncMutation>();
            foreach (var mutation in mutations)
            {
                var id = mutation.Id!.Value;
                if (id <= last)
                {
                    results.Add(JsonElement.Parse(stored[id]));
                    metrics.Pushed(mutation.Name!, SyncMetrics.Replayed);
                    continue;
                }

                var (result, orderId) = await ApplyAsync(mutation, caller, socketId, cancellation);
                db.ChangeTracker.Clear();
                if (result.Status == MutationResult.Rejected && orderId is { } target && await orders.FindAsync(target, cancellation) is { } current)
                {
                    result = result with { Record = OrderResource.From(current, OrderIncludes.All) };
                }

                metrics.Pushed(mutation.Name!, result.Status);
                var element = JsonSerializer.SerializeToElement(result, Options);
                results.Add(element);
                done.Add(new SyncMutation { ClientId = clientId, MutationId = id, Result = element.GetRawText(), CreatedAt = time.GetUtcNow() });
                last = id;
            }

            if (done.Count > 0)
            {
                db.SyncMutations.AddRange(done);
                await db.SaveChangesAsync(cancellation);
                await db.SyncTerminals.Where(t => t.ClientId == clientId).ExecuteUpdateAsync(
                    terminal => terminal.SetProperty(t => t.LastMutationId, last).SetProperty(t => t.UpdatedAt, time.GetUtcNow()), cancellation);
            }

            // A pull that has caught up past this transaction has every change of the push.
            var written = (await db.Database.SqlQuery<long>($"SELECT pg_current_xact_id()::text::bigint AS \"Value\"").ToListAsync(cancellation))[0];
            await transaction.CommitAsync(cancellation);
            return TypedResults.Ok(DataResponse.Of(new PushResult(results, last, new SyncCursor(written + 1, null, 0).ToString())));
        }, cancellationToken);
    }

    /// <summary>The terminal's last applied mutation id, with its row locked until the push commits (a new terminal starts at 0).</summary>
    private async Task<long> LockTerminalAsync(Guid clientId, CancellationToken cancellationToken)
    {
        var tenantId = TenantId;
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO sync_terminals (tenant_id, client_id, last_mutation_id, updated_at) VALUES ({tenantId}, {clientId}, 0, now())
            ON CONFLICT DO NOTHING
            """, cancellationToken);
        var last = await db.Database.SqlQuery<long>($"""
            SELECT last_mutation_id AS "Value" FROM sync_terminals WHERE tenant_id = {tenantId} AND client_id = {clientId} FOR UPDATE
            """).ToListAsync(cancellationToken);
        return last[0];
    }

    /// <summary>Runs one mutation; the id of the order it names comes back too, for the server's record on a rejection.</summary>
    private async Task<(MutationResult Result, long? OrderId)> ApplyAsync(
        MutationRequest mutation, ClaimsPrincipal caller, string? socketId, CancellationToken cancellationToken)
    {
        var id = mutation.Id!.Value;
        var args = mutation.Args!.Value;
        long? orderId = null;
        // A span per mutation: the order it touches tags it, and its events and jobs continue from it.
        using var span = Tracing.StartActivity($"sync {mutation.Name}");
        span?.SetTag("vsmenu.sync.mutation.id", id);
        try
        {
            if (mutation.Name == MutationNames.CreateOrder)
            {
                var request = args.Deserialize<CreateOrderRequest>(Options)!;
                var errors = Validator.Check(request);
                if (request.ClientId is null)
                {
                    errors.Add("client_id", ApiText.Required.Format("client_id"));
                }

                return (errors.Any ? Rejected(id, Outcome<Order>.Invalid(errors)) : From(id, await orders.CreateAsync(request, caller, socketId, null, cancellationToken)), null);
            }

            orderId = await TargetAsync(args, cancellationToken);
            if (orderId is not { } target)
            {
                return (Rejected(id, Outcome<Order>.NotFound()), null);
            }

            if (mutation.Name == MutationNames.DeleteOrder)
            {
                return (From(id, await orders.DeleteAsync(target, caller, cancellationToken)), target);
            }

            var change = Partial<UpdateOrderRequest>.From(args, Options);
            var invalid = change.Validate();
            return (invalid.Any ? Rejected(id, Outcome<Order>.Invalid(invalid)) : From(id, await orders.UpdateAsync(target, change, caller, socketId, cancellationToken)), target);
        }
        catch (JsonException malformed)
        {
            return (new MutationResult(id, MutationResult.Rejected, null, StatusCodes.Status400BadRequest, ApiText.MalformedJson.Format(malformed.Path ?? "$"), null), orderId);
        }
        catch (DbUpdateException conflict) when (ApiExceptionHandler.Map(conflict) is { Status: < StatusCodes.Status500InternalServerError } answer)
        {
            return (new MutationResult(id, MutationResult.Rejected, null, answer.Status, answer.Message, null), orderId);
        }
    }

    /// <summary>The order an update or delete names, by <c>id</c> or by <c>client_id</c>; null when this restaurant has none such.</summary>
    private async Task<long?> TargetAsync(JsonElement args, CancellationToken cancellationToken)
    {
        if (args.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.Number)
        {
            return id.TryGetInt64(out var orderId) ? orderId : null;
        }

        if (args.TryGetProperty("client_id", out var clientId) && clientId.TryGetGuid(out var client))
        {
            return await db.Orders.Where(order => order.ClientId == client).Select(order => (long?)order.Id).FirstOrDefaultAsync(cancellationToken);
        }

        return null;
    }

    private static MutationResult From(long id, Outcome<Order> outcome) => outcome.Succeeded
        ? new MutationResult(id, MutationResult.Applied, outcome.Value is { } order ? OrderResource.From(order, OrderIncludes.All) : null, null, null, null)
        : Rejected(id, outcome);

    private static MutationResult Rejected(long id, Outcome<Order> outcome) =>
        new(id, MutationResult.Rejected, null, outcome.Status, outcome.Error!.Message, outcome.Error.Errors);
}
