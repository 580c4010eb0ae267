using System.Diagnostics;
using VSmenu.Queue;

namespace VSmenu.Data.Orders;

/// <summary>How spans name an order, so the dashboard answers "where is my order" with an attribute filter.</summary>
public static class OrderTelemetry
{
    public const string OrderAttribute = "vsmenu.order.id";

    /// <summary>Marks <paramref name="span"/> (a request's, a job's) as working on <paramref name="order"/>.</summary>
    public static void Tag(Activity? span, Order order)
    {
        span?.SetTag(JobSpanAttributes.Tenant, order.TenantId);
        span?.SetTag(OrderAttribute, order.Id);
    }
}
