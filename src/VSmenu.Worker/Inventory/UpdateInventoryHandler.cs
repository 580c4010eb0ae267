using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using VSmenu.Data;
using VSmenu.Data.Menu;
using VSmenu.Data.Orders;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Inventory;

/// <summary>
/// The spec's <c>UpdateInventory</c>: takes an order's items out of stock exactly once. Each product's take is a
/// <c>stock_movements</c> row, unique per order and product, inserted by the statement that decrements: a retry, a
/// duplicate delivery or a concurrent run inserts nothing and so decrements nothing; the order row itself is not touched.
/// </summary>
/// <remarks>
/// On a busy night every take queues on the one dish everybody orders, so a take holds that row's lock for as short as it
/// can: one round trip locks the order's products in id order <c>FOR NO KEY UPDATE</c> and, in a second statement of the
/// same batch, inserts the movements and decrements, so no client turn happens between the lock and the change; only
/// the commit follows. <c>NO KEY UPDATE</c> is the mode an UPDATE of non-key columns takes anyway and does not conflict
/// with the <c>FOR KEY SHARE</c> of every foreign-key check on a product (movement rows, a waiter's new order line): takes
/// of one dish wait only for each other, in id order, and never deadlock. The stock rule (never below zero, the last
/// unit makes the product unavailable, only that take announces it) is the decrementing statement's, in one place.
/// </remarks>
public sealed partial class UpdateInventoryHandler(VsmenuDbContext db, ILogger<UpdateInventoryHandler> logger)
    : IJobHandler<UpdateInventory>
{
    private const string LockProducts = """
        SELECT id FROM products
        WHERE tenant_id = $2 AND id IN (SELECT product_id FROM order_items WHERE order_id = $1 AND tenant_id = $2)
        ORDER BY id FOR NO KEY UPDATE
        """;

    private const string TakeStock = """
        WITH taken AS (
            INSERT INTO stock_movements (tenant_id, order_id, product_id, quantity, created_at)
            SELECT tenant_id, order_id, product_id, -sum(quantity), now() FROM order_items
            WHERE order_id = $1 AND tenant_id = $2 AND product_id IS NOT NULL
            GROUP BY tenant_id, order_id, product_id
            ORDER BY product_id
            ON CONFLICT (order_id, product_id) DO NOTHING
            RETURNING product_id, -quantity AS quantity),
        decremented AS (
            UPDATE products AS product
            SET stock_quantity = greatest(0, product.stock_quantity - taken.quantity),
                is_available = product.is_available AND product.stock_quantity > taken.quantity,
                updated_at = now()
            FROM taken JOIN products AS before ON before.id = taken.product_id
            WHERE product.id = taken.product_id AND product.tenant_id = $2 AND product.stock_quantity IS NOT NULL
            RETURNING product.id, before.is_available AND NOT product.is_available AS ran_out)
        SELECT taken.product_id, coalesce(decremented.ran_out, false)
        FROM taken LEFT JOIN decremented ON decremented.id = taken.product_id
        """;

    public async Task HandleAsync(UpdateInventory job, JobContext context, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var (taken, ranOut) = await TakeAsync(job, (NpgsqlTransaction)transaction.GetDbTransaction(), cancellationToken);
            if (taken == 0)
            {
                LogNothingToTake(job.OrderId);
                return;
            }

            if (ranOut.Count > 0)
            {
                foreach (var product in await db.Products.AsNoTracking().Where(product => ranOut.Contains(product.Id)).ToListAsync(cancellationToken))
                {
                    LogOutOfStock(product.Id);
                    db.BroadcastOnSave(() => MenuEvents.OutOfStock(product), socketId: null);
                }

                await db.SaveChangesAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            LogTaken(job.OrderId, taken);
        });
    }

    /// <summary>Locks and takes in one round trip; returns how many products were taken and which of them ran out.</summary>
    private static async Task<(int Taken, List<long> RanOut)> TakeAsync(UpdateInventory job, NpgsqlTransaction transaction, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(transaction.Connection, transaction)
        {
            BatchCommands = { Command(LockProducts, job), Command(TakeStock, job) },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        var (taken, ranOut) = (0, new List<long>());
        while (await reader.ReadAsync(cancellationToken))
        {
            taken++;
            if (reader.GetBoolean(1))
            {
                ranOut.Add(reader.GetInt64(0));
            }
        }

        return (taken, ranOut);
    }

    private static NpgsqlBatchCommand Command(string sql, UpdateInventory job) => new(sql)
    {
        Parameters = { new NpgsqlParameter<long> { TypedValue = job.OrderId }, new NpgsqlParameter<long> { TypedValue = job.TenantId } },
    };

    [LoggerMessage(LogLevel.Information, "Stock taken for order {OrderId} ({Products} products)")]
    private partial void LogTaken(long orderId, int products);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} has no stock left to take (taken before, or no products)")]
    private partial void LogNothingToTake(long orderId);

    [LoggerMessage(LogLevel.Information, "Product {ProductId} is out of stock")]
    private partial void LogOutOfStock(long productId);
}
