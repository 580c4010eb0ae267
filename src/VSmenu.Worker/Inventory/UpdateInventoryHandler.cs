using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Menu;
using VSmenu.Data.Orders;
using VSmenu.Data.Tenancy;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Inventory;

/// <summary>
/// The spec's <c>UpdateInventory</c>: takes an order's items out of stock exactly once. Each product's take is a
/// <c>stock_movements</c> row, unique per order and product, inserted in the transaction that decrements: a retry, a
/// duplicate delivery or a concurrent run inserts nothing and so decrements nothing; the order row itself is not touched.
/// </summary>
/// <remarks>
/// The products are locked first, in id order, <c>FOR NO KEY UPDATE</c>: the mode an UPDATE of non-key columns takes
/// anyway, and one that does not conflict with the <c>FOR KEY SHARE</c> that every foreign-key check on a product takes
/// (this take's movement rows, another take's, a waiter's new order line). Locking <c>FOR UPDATE</c> after inserting the
/// movements made two takes of one dish each wait for the other's key share: a deadlock per pair on a busy night. Now a
/// take waits only for the one before it on the same dish, for the few milliseconds its transaction lasts.
/// </remarks>
public sealed partial class UpdateInventoryHandler(VsmenuDbContext db, CurrentTenant tenant, ILogger<UpdateInventoryHandler> logger)
    : IJobHandler<UpdateInventory>
{
    private sealed record Take(long ProductId, int Quantity);

    public async Task HandleAsync(UpdateInventory job, JobContext context, CancellationToken cancellationToken)
    {
        tenant.Set(job.TenantId);
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            db.ChangeTracker.Clear();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var products = await db.Products
                .FromSql($"""
                    SELECT * FROM products WHERE id IN (
                        SELECT product_id FROM order_items WHERE order_id = {job.OrderId} AND tenant_id = {job.TenantId})
                    ORDER BY id FOR NO KEY UPDATE
                    """)
                .ToListAsync(cancellationToken);
            var takes = await db.Database.SqlQuery<Take>($"""
                INSERT INTO stock_movements (tenant_id, order_id, product_id, quantity, created_at)
                SELECT tenant_id, order_id, product_id, -sum(quantity), now() FROM order_items
                WHERE order_id = {job.OrderId} AND tenant_id = {job.TenantId} AND product_id IS NOT NULL
                GROUP BY tenant_id, order_id, product_id
                ON CONFLICT (order_id, product_id) DO NOTHING
                RETURNING product_id, -quantity AS quantity
                """).ToListAsync(cancellationToken);
            if (takes.Count == 0)
            {
                LogNothingToTake(job.OrderId);
                return;
            }

            var quantities = takes.ToDictionary(take => take.ProductId, take => take.Quantity);
            foreach (var product in products.Where(product => quantities.ContainsKey(product.Id)))
            {
                if (product.TakeFromStock(quantities[product.Id]))
                {
                    LogOutOfStock(product.Id);
                    db.BroadcastOnSave(() => MenuEvents.OutOfStock(product), socketId: null);
                }
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            LogTaken(job.OrderId, takes.Count);
        });
    }

    [LoggerMessage(LogLevel.Information, "Stock taken for order {OrderId} ({Products} products)")]
    private partial void LogTaken(long orderId, int products);

    [LoggerMessage(LogLevel.Information, "Order {OrderId} has no stock left to take (taken before, or no products)")]
    private partial void LogNothingToTake(long orderId);

    [LoggerMessage(LogLevel.Information, "Product {ProductId} is out of stock")]
    private partial void LogOutOfStock(long productId);
}
