using System.Globalization;
using VSmenu.Data.Sync;

namespace VSmenu.Api.Sync;

/// <summary>
/// A place in a restaurant's stream of changes, opaque to clients: before every change of version <see cref="Version"/>
/// and after all below it (<c>"42"</c>, where a pull caught up), or after one change (<c>"42.orders.1001"</c>, where a
/// page of a pull ended). Changes are ordered by version (the writing transaction's id), entity and id.
/// </summary>
public readonly record struct SyncCursor(long Version, string? Entity, long EntityId)
{
    /// <summary>Before every change.</summary>
    public static readonly SyncCursor Start = new(0, null, 0);

    public static SyncCursor After(SyncChange change) => new(change.Version, change.Entity, change.EntityId);

    /// <summary>The key the next change must be above, for the database's row comparison: all of a bare version is ahead of it.</summary>
    public (long Version, string Entity, long EntityId) Key => (Version, Entity ?? "", Entity is null ? long.MinValue : EntityId);

    public override string ToString() => Entity is null
        ? Version.ToString(CultureInfo.InvariantCulture)
        : string.Create(CultureInfo.InvariantCulture, $"{Version}.{Entity}.{EntityId}");

    public static bool TryParse(string text, out SyncCursor cursor)
    {
        cursor = Start;
        var parts = text.Split('.');
        if (!TryParseNumber(parts[0], out var version))
        {
            return false;
        }

        if (parts.Length == 1)
        {
            cursor = new SyncCursor(version, null, 0);
            return true;
        }

        if (parts.Length == 3 && SyncEntities.All.Contains(parts[1]) && TryParseNumber(parts[2], out var id))
        {
            cursor = new SyncCursor(version, parts[1], id);
            return true;
        }

        return false;
    }

    private static bool TryParseNumber(string text, out long number) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number);
}
