using System.Text.Json.Serialization;
using VSmenu.Pos.Store;

namespace VSmenu.Pos.Sync;

/// <summary>
/// <c>sync:statusChanged</c> and <c>sync:status()</c>: <c>idle</c>, <c>syncing</c>, <c>offline</c> (the api cannot be
/// reached; the terminal retries by itself) or <c>error</c> with the api's message (it answers but fails, and the terminal
/// retries by itself; or it refused the terminal, e.g. a revoked token).
/// </summary>
public sealed record SyncStatus(
    string State,
    long Pending,
    string? LastSyncedAt,
    string? Cursor,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<RejectedMutation>? Rejected = null)
{
    public const string Idle = "idle";
    public const string Syncing = "syncing";
    public const string Offline = "offline";
    public const string Failed = "error";
}
