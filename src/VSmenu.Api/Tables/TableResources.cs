using VSmenu.Api.Infrastructure;
using VSmenu.Data.Outbox;
using VSmenu.Data.Tables;

namespace VSmenu.Api.Tables;

public sealed record TableRequest(int? Number, int? Seats, string? Status) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("number", Number).Required().Between(1, 9_999);
        validator.Field("seats", Seats).Required().Between(1, 100);
        validator.Field("status", Status).OneOf<TableStatus>();
    }
}

public sealed record TableResource(long Id, int Number, int Seats, TableStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static TableResource From(DiningTable table) => new(table.Id, table.Number, table.Seats, table.Status, table.CreatedAt, table.UpdatedAt);
}

public static class TableEvents
{
    public const string StatusChanged = "table.status.changed";

    public static BroadcastEvent StatusChangedEvent(DiningTable table, TableStatus previous) => new(
        table.TenantId,
        StatusChanged,
        [BroadcastChannels.Tables(table.TenantId)],
        new { Table = new { table.Id, table.Number, table.Seats, table.Status, PreviousStatus = previous, table.UpdatedAt } });
}
