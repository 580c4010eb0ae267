using System.Text.Json;

namespace VSmenu.Pos.Store;

/// <summary>How the UI names an order: its server <c>id</c> (a number) or, before it has one, its <c>client_id</c> (a UUID).</summary>
public readonly record struct OrderKey(long? Id, Guid? ClientId)
{
    public static OrderKey Parse(JsonElement key) => key.ValueKind switch
    {
        JsonValueKind.Number when key.TryGetInt64(out var id) && id > 0 => new(id, null),
        JsonValueKind.String when Guid.TryParse(key.GetString(), out var clientId) => new(null, clientId),
        JsonValueKind.String when long.TryParse(key.GetString(), out var id) && id > 0 => new(id, null),
        _ => throw PosError.Of(400, "An order is named by its id (a number) or its client_id (a UUID)."),
    };

    public override string ToString() => Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? ClientId.ToString()!;
}
