using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Reports;
using VSmenu.Queue.Worker;

namespace VSmenu.Worker.Reports;

/// <summary>
/// The spec's <c>GenerateReports</c>: every restaurant's sales of one UTC day in one statement (orders, cancellations,
/// revenue, average ticket, five best sellers), written over any earlier report of that day so a re-run corrects it.
/// </summary>
public sealed partial class GenerateReportsHandler(VsmenuDbContext db, ILogger<GenerateReportsHandler> logger) : IJobHandler<GenerateReports>
{
    public async Task HandleAsync(GenerateReports job, JobContext context, CancellationToken cancellationToken)
    {
        var from = new DateTimeOffset(job.Date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var to = from.AddDays(1);
        var reports = await db.Database.ExecuteSqlAsync($"""
            WITH day_orders AS (
                SELECT tenant_id, id, status, total FROM orders WHERE created_at >= {from} AND created_at < {to}
            ), totals AS (
                SELECT tenant_id,
                       count(*) AS orders_count,
                       count(*) FILTER (WHERE status = 'cancelled') AS cancelled_count,
                       coalesce(sum(total) FILTER (WHERE status <> 'cancelled'), 0) AS revenue
                FROM day_orders GROUP BY tenant_id
            ), best_sellers AS (
                SELECT o.tenant_id, i.product_name, sum(i.quantity) AS quantity, sum(i.subtotal) AS revenue,
                       row_number() OVER (PARTITION BY o.tenant_id ORDER BY sum(i.quantity) DESC, i.product_name) AS rank
                FROM day_orders o JOIN order_items i ON i.order_id = o.id
                WHERE o.status <> 'cancelled'
                GROUP BY o.tenant_id, i.product_name
            )
            INSERT INTO daily_reports (tenant_id, date, orders_count, cancelled_count, revenue, average_ticket, top_products, created_at, updated_at)
            SELECT t.id, {job.Date},
                   coalesce(totals.orders_count, 0), coalesce(totals.cancelled_count, 0), coalesce(totals.revenue, 0),
                   CASE WHEN totals.orders_count > totals.cancelled_count
                        THEN round(totals.revenue / (totals.orders_count - totals.cancelled_count), 2) ELSE 0 END,
                   coalesce((SELECT jsonb_agg(jsonb_build_object('product_name', b.product_name, 'quantity', b.quantity, 'revenue', b.revenue) ORDER BY b.rank)
                             FROM best_sellers b WHERE b.tenant_id = t.id AND b.rank <= 5), '[]'::jsonb),
                   now(), now()
            FROM tenants t LEFT JOIN totals ON totals.tenant_id = t.id
            ON CONFLICT (tenant_id, date) DO UPDATE SET
                orders_count = excluded.orders_count, cancelled_count = excluded.cancelled_count, revenue = excluded.revenue,
                average_ticket = excluded.average_ticket, top_products = excluded.top_products, updated_at = now()
            """, cancellationToken);
        LogGenerated(reports, job.Date);
    }

    [LoggerMessage(LogLevel.Information, "Generated {Reports} daily reports for {Date}")]
    private partial void LogGenerated(int reports, DateOnly date);
}
