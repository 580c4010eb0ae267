using System.Diagnostics;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VSmenu.Api.Auth;
using VSmenu.Api.Edge.Idempotency;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Tables;
using VSmenu.Data;
using VSmenu.Data.Idempotency;
using VSmenu.Data.Orders;
using VSmenu.Data.Tables;
using VSmenu.Data.Tenancy;

namespace VSmenu.Api.Orders;

/// <summary>
/// Creating, changing and deleting an order: the one place of its rules (prices from the menu, the workflow and its
/// roles, who may delete, the events and jobs each change causes), whether the change comes from a REST request or a
/// POS terminal's sync push. The caller is whoever the change is made as; the body has passed its shape's validation.
/// </summary>
public sealed class OrderCommands(VsmenuDbContext db, CurrentTenant tenant, IAuthorizationService authorization, OrderMetrics metrics)
{
    public async Task<Outcome<Order>> CreateAsync(
        CreateOrderRequest body, ClaimsPrincipal caller, string? socketId, IdempotentRequest? idempotent, CancellationToken cancellationToken)
    {
        if (!await MayAsync(caller, OrderPolicies.TakeOrders))
        {
            return Outcome<Order>.Forbidden();
        }

        if (await CreatedBeforeAsync(body.ClientId, idempotent, cancellationToken) is { } earlier)
        {
            return earlier;
        }

        var type = WireEnum<OrderType>.Parse(body.Type!);
        var lines = body.Items!.Select(line => line!).ToList();
        var errors = new ValidationErrors();

        var productIds = lines.Select(line => line.ProductId!.Value).Distinct().ToList();
        var catalogue = await db.Products.AsNoTracking().Where(product => productIds.Contains(product.Id)).ToDictionaryAsync(product => product.Id, cancellationToken);
        var customer = await FindReferenceAsync(db.Customers, body.CustomerId, "customer_id", errors, cancellationToken);
        var table = await FindReferenceAsync(db.Tables, body.TableId, "table_id", errors, cancellationToken);
        var address = await FindReferenceAsync(db.Addresses.Where(address => address.CustomerId == body.CustomerId), body.DeliveryAddressId, "delivery_address_id", errors, cancellationToken);
        var items = OrderPricing.Price(lines, catalogue, errors);
        if (errors.Any)
        {
            return Outcome<Order>.Invalid(errors);
        }

        var order = new Order
        {
            Type = type,
            Status = OrderStatus.Pending,
            ClientId = body.ClientId,
            CustomerId = customer?.Id,
            TableId = table?.Id,
            DeliveryAddressId = address?.Id,
            PaymentMethod = body.PaymentMethod is null ? null : WireEnum<PaymentMethod>.Parse(body.PaymentMethod),
            Notes = body.Notes,
            Items = items,
        };
        if (!OrderPricing.TotalFits(order, errors))
        {
            return Outcome<Order>.Invalid(errors);
        }

        // Async: the hi/lo generator may fetch a new block of ids, and Add would do that blocking a thread.
        await db.Orders.AddAsync(order, cancellationToken);
        db.BroadcastOnSave(() => OrderEvents.OrderCreated(order, customer?.Name), socketId);
        db.DispatchOnSave(() => OrderJobs.OnCreated(order));
        if (type is OrderType.DineIn && table is not null && TableOccupancy.WhenOrderOpens(table.Status) is { } occupied)
        {
            db.Tables.Attach(table);
            SetTableStatus(table, occupied, socketId);
        }

        if (idempotent is not null)
        {
            db.IdempotencyRecords.Add(new IdempotencyRecord { Scope = idempotent.Scope, Fingerprint = idempotent.Fingerprint, Order = order });
        }

        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException exception) when (exception.InnerException is PostgresException
        {
            SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: IdempotencyRecord.UniqueScope or Order.UniqueClientId,
        })
        {
            // A try of the same request committed while this one ran: that order is the answer to both.
            db.ChangeTracker.Clear();
            return (await CreatedBeforeAsync(body.ClientId, idempotent, cancellationToken))!;
        }

        OrderTelemetry.Tag(Activity.Current, order);
        metrics.Placed(order);
        order.Customer = customer;
        order.Table = table;
        order.DeliveryAddress = address;
        return Outcome<Order>.Done(order, StatusCodes.Status201Created);
    }

    public Task<Outcome<Order>> UpdateAsync(
        long id, Partial<UpdateOrderRequest> body, ClaimsPrincipal caller, string? socketId, CancellationToken cancellationToken) =>
        OnLatestVersionAsync(id, () => UpdateOnceAsync(id, body, caller, socketId, cancellationToken), cancellationToken);

    public Task<Outcome<Order>> DeleteAsync(long id, ClaimsPrincipal caller, CancellationToken cancellationToken) =>
        OnLatestVersionAsync(id, () => DeleteOnceAsync(id, caller, cancellationToken), cancellationToken);

    /// <summary>The order with every relation the API shows on a single order, or null.</summary>
    public Task<Order?> FindAsync(long id, CancellationToken cancellationToken) =>
        OrderEndpoints.WithEverything(db.Orders.AsNoTracking()).FirstOrDefaultAsync(order => order.Id == id, cancellationToken);

    /// <summary>
    /// Makes a change on the order as it is now, however many requests change it at once: the order's row is locked before
    /// it is read, in the change's own transaction or in the push's that runs it, so each change waits for the one before
    /// it to commit and is checked on what that one wrote (a status move no longer legal is refused as such). Read without
    /// the lock, four tills changing one order at once had 5 of their 24 changes refused with 409 "try again" (the version
    /// had moved on between read and write), and a till's synced change has nobody to try it again; five tries still lost one.
    /// </summary>
    private Task<Outcome<Order>> OnLatestVersionAsync(long id, Func<Task<Outcome<Order>>> change, CancellationToken cancellationToken) =>
        db.InTransactionAsync(
            async () =>
            {
                await db.Database.ExecuteSqlAsync($"SELECT 1 FROM orders WHERE id = {id} AND tenant_id = {tenant.TenantId} FOR UPDATE", cancellationToken);
                return await change();
            },
            cancellationToken);

    private async Task<Outcome<Order>> UpdateOnceAsync(
        long id, Partial<UpdateOrderRequest> body, ClaimsPrincipal caller, string? socketId, CancellationToken cancellationToken)
    {
        if (await OrderEndpoints.WithEverything(db.Orders).FirstOrDefaultAsync(order => order.Id == id, cancellationToken) is not { } order)
        {
            return Outcome<Order>.NotFound();
        }

        OrderTelemetry.Tag(Activity.Current, order);
        var statusBefore = order.Status;
        var request = body.Value;
        if ((body.Has(r => r.Notes) || body.Has(r => r.PaymentMethod)) && !await MayAsync(caller, OrderPolicies.TakeOrders))
        {
            return Outcome<Order>.Forbidden();
        }

        if (body.Has(r => r.Status) && WireEnum<OrderStatus>.Parse(request.Status!) is var next && next != order.Status)
        {
            var role = caller.GetRole();
            switch (OrderWorkflow.Check(order.Type, order.Status, next, role))
            {
                case TransitionVerdict.Illegal:
                    return Outcome<Order>.Failed(StatusCodes.Status409Conflict, ApiText.IllegalTransition.Format(Name(order.Type), Name(order.Status), Name(next)));
                case TransitionVerdict.Forbidden:
                    return Outcome<Order>.Forbidden(ApiText.TransitionForbidden.Format(Name(role), Name(order.Status), Name(next)));
            }

            var previous = order.Status;
            order.Status = next;
            order.CancellationReason = next is OrderStatus.Cancelled ? request.CancellationReason : order.CancellationReason;
            db.BroadcastOnSave(() => OrderEvents.StatusChange(order, order.Customer?.Name, previous), socketId);
            db.DispatchOnSave(() => OrderJobs.OnStatusChanged(order));
        }

        if (body.Has(r => r.Notes))
        {
            order.Notes = request.Notes;
        }

        if (body.Has(r => r.PaymentMethod))
        {
            order.PaymentMethod = request.PaymentMethod is null ? null : WireEnum<PaymentMethod>.Parse(request.PaymentMethod);
        }

        if (TableOccupancy.Holds(statusBefore) && !TableOccupancy.Holds(order.Status))
        {
            await SaveFreeingTheTableIfLastAsync(order, socketId, cancellationToken);
        }
        else
        {
            await db.SaveChangesAsync(cancellationToken);
        }

        if (order.Status != statusBefore)
        {
            metrics.Reached(order, order.UpdatedAt);
        }

        return Outcome<Order>.Done(order);
    }

    /// <summary>
    /// Saves the close of an order, freeing the table of a dine-in one unless another of its orders still holds it. Two
    /// orders of a table closing at once each saw the other still open and left the table occupied with nobody at it: the
    /// decision is taken under the table row's lock, held until the close commits, so the second one sees the first closed.
    /// </summary>
    private async Task SaveFreeingTheTableIfLastAsync(Order order, string? socketId, CancellationToken cancellationToken)
    {
        if (order is not { Type: OrderType.DineIn, Table: { } table })
        {
            await db.SaveChangesAsync(cancellationToken);
            return;
        }

        await db.InTransactionAsync(async () =>
        {
            await db.Database.ExecuteSqlAsync($"SELECT 1 FROM tables WHERE id = {table.Id} FOR UPDATE", cancellationToken);
            await db.Entry(table).ReloadAsync(cancellationToken);
            var othersHoldIt = await db.Orders.AnyAsync(
                other => other.TableId == table.Id && other.Id != order.Id && other.Status != OrderStatus.Completed && other.Status != OrderStatus.Cancelled,
                cancellationToken);
            if (TableOccupancy.WhenOrderCloses(table.Status, othersHoldIt) is { } free)
            {
                SetTableStatus(table, free, socketId);
            }

            await db.SaveChangesAsync(cancellationToken);
        }, cancellationToken);
    }

    private void SetTableStatus(DiningTable table, TableStatus status, string? socketId)
    {
        var previous = table.Status;
        table.Status = status;
        db.BroadcastOnSave(() => TableEvents.StatusChangedEvent(table, previous), socketId);
    }

    private async Task<Outcome<Order>> DeleteOnceAsync(long id, ClaimsPrincipal caller, CancellationToken cancellationToken)
    {
        if (!await MayAsync(caller, OrderPolicies.DeleteOrders))
        {
            return Outcome<Order>.Forbidden();
        }

        if (await db.FindByIdAsync<Order>(id, cancellationToken) is not { } order)
        {
            return Outcome<Order>.NotFound();
        }

        if (!order.IsDeletable)
        {
            return Outcome<Order>.Failed(StatusCodes.Status409Conflict, ApiText.OrderNotDeletable.Format(Name(order.Status)));
        }

        db.Orders.Remove(order);
        await db.SaveChangesAsync(cancellationToken);
        return Outcome<Order>.Done(null, StatusCodes.Status204NoContent);
    }

    /// <summary>
    /// The order an earlier try of this create made: the one with the same client id, or the one created under the same
    /// <c>Idempotency-Key</c> (a 422 when that key was used for another request); null when there is none.
    /// </summary>
    private async Task<Outcome<Order>?> CreatedBeforeAsync(Guid? clientId, IdempotentRequest? idempotent, CancellationToken cancellationToken)
    {
        long? orderId = null;
        if (idempotent is not null
            && await db.IdempotencyRecords.AsNoTracking().FirstOrDefaultAsync(r => r.Scope == idempotent.Scope, cancellationToken) is { } record)
        {
            if (record.Fingerprint != idempotent.Fingerprint)
            {
                return Outcome<Order>.Failed(StatusCodes.Status422UnprocessableEntity, ApiText.IdempotencyKeyReused.Format());
            }

            orderId = record.OrderId;
        }

        var orders = OrderEndpoints.WithEverything(db.Orders.AsNoTracking());
        var order = orderId is { } id
            ? await orders.FirstAsync(o => o.Id == id, cancellationToken)
            : clientId is { } client ? await orders.FirstOrDefaultAsync(o => o.ClientId == client, cancellationToken) : null;
        return order is null ? null : new Outcome<Order>(order, StatusCodes.Status201Created, null, Replayed: true);
    }

    private async Task<bool> MayAsync(ClaimsPrincipal caller, string policy) => (await authorization.AuthorizeAsync(caller, policy)).Succeeded;

    /// <summary>Loads the referenced record of the current tenant; an id that is not one becomes a 422 on its field.</summary>
    private static async Task<T?> FindReferenceAsync<T>(
        IQueryable<T> candidates, long? id, string field, ValidationErrors errors, CancellationToken cancellationToken) where T : class, IIdentified
    {
        if (id is null)
        {
            return null;
        }

        var found = await candidates.AsNoTracking().FirstOrDefaultAsync(candidate => candidate.Id == id, cancellationToken);
        if (found is null)
        {
            errors.Add(field, ApiText.Exists.Format(field));
        }

        return found;
    }

    private static string Name<TEnum>(TEnum value) where TEnum : struct, Enum => WireEnum<TEnum>.Name(value);
}
