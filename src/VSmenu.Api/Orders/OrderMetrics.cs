using System.Diagnostics.Metrics;
using VSmenu.Data;
using VSmenu.Data.Orders;

namespace VSmenu.Api.Orders;

/// <summary>
/// What a kitchen manager asks of the dashboard's Metrics page: how many orders come in, of which type, and how old a
/// ticket is when it reaches each status (at <c>ready</c>, how long the kitchen took; at <c>completed</c>, the whole
/// visit), by type.
/// </summary>
public sealed class OrderMetrics
{
    public const string MeterName = "VSmenu.Api.Orders";

    private readonly Counter<long> _created;
    private readonly Histogram<double> _ageAtStatus;

    public OrderMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(MeterName);
        _created = meter.CreateCounter<long>("vsmenu.orders.created", "{order}", "Orders placed, by type (dine_in, takeaway, delivery).");
        _ageAtStatus = meter.CreateHistogram<double>(
            "vsmenu.orders.age_at_status", "s", "How long after it was placed an order reached each status, by status and type: how long tickets wait.");
    }

    public void Placed(Order order) => _created.Add(1, new KeyValuePair<string, object?>("type", WireEnum<OrderType>.Name(order.Type)));

    public void Reached(Order order, DateTimeOffset now) => _ageAtStatus.Record(
        (now - order.CreatedAt).TotalSeconds,
        new KeyValuePair<string, object?>("status", WireEnum<OrderStatus>.Name(order.Status)),
        new KeyValuePair<string, object?>("type", WireEnum<OrderType>.Name(order.Type)));
}
