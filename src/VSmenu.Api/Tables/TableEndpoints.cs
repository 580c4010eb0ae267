using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Tables;

namespace VSmenu.Api.Tables;

public static class TableEndpoints
{
    private static readonly Listing<DiningTable> Listing = new Listing<DiningTable>(table => table.Id, defaultSort: "number")
        .Sort("number", table => table.Number)
        .Sort("seats", table => table.Seats)
        .Sort("status", table => table.Status)
        .FilterEnum<TableStatus>("status", status => table => table.Status == status)
        .FilterNumber("min_seats", seats => table => table.Seats >= seats);

    public static RouteGroupBuilder MapTableEndpoints(this RouteGroupBuilder api)
    {
        var tables = api.MapGroup("/tables").WithTags("Tables");

        tables.MapList(Listing, (table, _) => TableResource.From(table));
        tables.MapShow<DiningTable, TableResource>(query => query, TableResource.From);
        tables.MapPost("/", CreateAsync).Produces<DataResponse<TableResource>>(StatusCodes.Status201Created).RequireAuthorization(TablePolicies.ManageTables);
        tables.MapUpdate<DiningTable, TableRequest, TableResource>(ApplyAsync, TableResource.From).RequireAuthorization(TablePolicies.ServeTables);
        tables.MapDestroy<DiningTable>(table => TableEvents.LayoutEvent(table, TableEvents.Deleted)).RequireAuthorization(TablePolicies.ManageTables);
        return api;
    }

    private static async Task<IResult> CreateAsync(TableRequest body, VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken)
    {
        if (await NumberTakenAsync(db, body.Number!.Value, exceptId: 0, cancellationToken))
        {
            return ApiResults.Invalid("number", ApiText.Unique.Format("number"));
        }

        var table = new DiningTable
        {
            Number = body.Number.Value,
            Seats = body.Seats!.Value,
            Status = body.Status is null ? TableStatus.Available : WireEnum<TableStatus>.Parse(body.Status),
        };
        // The event names the table's id, which exists once the row is inserted: two saves, one transaction.
        await db.InTransactionAsync(async () =>
        {
            db.Tables.Add(table);
            await db.SaveChangesAsync(cancellationToken);
            db.BroadcastOnSave(() => TableEvents.LayoutEvent(table, TableEvents.Created), SocketId.From(request));
            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
        return TypedResults.Created($"/api/v1/tables/{table.Id}", DataResponse.Of(TableResource.From(table)));
    }

    /// <summary>Staff who serve tables change a table's status; its number and seats are the managers'.</summary>
    private static async Task<IResult?> ApplyAsync(DiningTable table, Update<TableRequest> update)
    {
        var (body, request, db) = (update.Body, update.Value, update.Db);
        var changesLayout = body.Has(r => r.Number) || body.Has(r => r.Seats);
        var authorization = update.Http.RequestServices.GetRequiredService<IAuthorizationService>();
        if (changesLayout && !(await authorization.AuthorizeAsync(update.Http.User, TablePolicies.ManageTables)).Succeeded)
        {
            return ApiResults.Forbidden();
        }

        if (body.Has(r => r.Number) && await NumberTakenAsync(db, request.Number!.Value, exceptId: table.Id, update.CancellationToken))
        {
            return ApiResults.Invalid("number", ApiText.Unique.Format("number"));
        }

        if (body.Has(r => r.Number)) table.Number = request.Number!.Value;
        if (body.Has(r => r.Seats)) table.Seats = request.Seats!.Value;

        var previous = table.Status;
        if (body.Has(r => r.Status) && request.Status is not null)
        {
            table.Status = WireEnum<TableStatus>.Parse(request.Status);
        }

        if (table.Status != previous)
        {
            db.BroadcastOnSave(() => TableEvents.StatusChangedEvent(table, previous), update.Socket);
        }

        if (changesLayout)
        {
            db.BroadcastOnSave(() => TableEvents.LayoutEvent(table, TableEvents.Updated), update.Socket);
        }

        return null;
    }

    private static Task<bool> NumberTakenAsync(VsmenuDbContext db, int number, long exceptId, CancellationToken cancellationToken) =>
        db.Tables.AnyAsync(table => table.Number == number && table.Id != exceptId, cancellationToken);
}
