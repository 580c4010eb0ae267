using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>The terminal's own values: its client id (one per terminal, sent with every push), the pull cursor, the last sync.</summary>
public sealed class TerminalSettings(PosDatabase database)
{
    public const string ClientIdKey = "client_id";
    public const string CursorKey = "cursor";
    public const string LastSyncedAtKey = "last_synced_at";
    public const string TenantKey = "tenant_id";

    public async Task<Guid> ClientIdAsync(CancellationToken cancellationToken)
    {
        if (await GetAsync(ClientIdKey, cancellationToken) is { } stored)
        {
            return Guid.Parse(stored);
        }

        var created = Guid.CreateVersion7().ToString();
        return Guid.Parse(await database.WriteAsync(async (connection, transaction) =>
        {
            await using var insert = connection.Command(transaction, "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT DO NOTHING");
            insert.Parameters.AddWithValue("$key", ClientIdKey);
            insert.Parameters.AddWithValue("$value", created);
            await insert.ExecuteNonQueryAsync(cancellationToken);
            return await GetAsync(connection, transaction, ClientIdKey, cancellationToken) ?? created;
        }, cancellationToken));
    }

    public Task<string?> GetAsync(string key, CancellationToken cancellationToken) =>
        database.ReadAsync(connection => GetAsync(connection, null, key, cancellationToken), cancellationToken);

    public Task SetAsync(string key, string? value, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await SetAsync(connection, transaction, key, value, cancellationToken);
            return true;
        }, cancellationToken);

    internal static async Task<string?> GetAsync(PosConnection connection, SqliteTransaction? transaction, string key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT value FROM settings WHERE key = $key");
        command.Parameters.AddWithValue("$key", key);
        return (string?)await command.ExecuteScalarAsync(cancellationToken);
    }

    internal static async Task SetAsync(PosConnection connection, SqliteTransaction transaction, string key, string? value, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, value is null
            ? "DELETE FROM settings WHERE key = $key"
            : "INSERT INTO settings (key, value) VALUES ($key, $value) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$value", (object?)value ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
