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

/// <summary>
/// What the floor hears on the tables channel: a table's status changing, and the floor plan itself changing (a table
/// added, renumbered or resized, removed), so a board open since before the change shows it without a reload.
/// </summary>
public static class TableEvents
{
    public const string StatusChanged = "table.status.changed";
    public const string Created = "table.created";
    public const string Updated = "table.updated";
    public const string Deleted = "table.deleted";

    public static BroadcastEvent StatusChangedEvent(DiningTable table, TableStatus previous) =>
        Of(table, StatusChanged, new { table.Id, table.Number, table.Seats, table.Status, PreviousStatus = previous, table.UpdatedAt });

    /// <summary><see cref="Created"/>, <see cref="Updated"/> or <see cref="Deleted"/>, with the table as it now is.</summary>
    public static BroadcastEvent LayoutEvent(DiningTable table, string name) =>
        Of(table, name, new { table.Id, table.Number, table.Seats, table.Status, table.UpdatedAt });

    private static BroadcastEvent Of(DiningTable table, string name, object payload) =>
        new(table.TenantId, name, [BroadcastChannels.Tables(table.TenantId)], new { Table = payload });
}
