using System.Text.Json.Nodes;
using VSmenu.Pos.Store;

namespace VSmenu.Pos.Auth;

/// <summary>A user's token at this terminal: the one signed in, or one kept after sign-out only to push what they left pending.</summary>
public sealed record Credential(long UserId, long TenantId, string Token, JsonObject User, bool SignedIn);

/// <summary>The tokens of the terminal's users, in its database (in the folder only the user may open).</summary>
public sealed class Credentials(PosDatabase database)
{
    public Task<Credential?> SignedInAsync(CancellationToken cancellationToken) => FindAsync("signed_in = 1", null, cancellationToken);

    public Task<Credential?> ForUserAsync(long userId, CancellationToken cancellationToken) => FindAsync("user_id = $user", userId, cancellationToken);

    /// <summary>Who the terminal pulls as: the user signed in, else any user whose changes still wait.</summary>
    public async Task<Credential?> AnyAsync(CancellationToken cancellationToken) =>
        await SignedInAsync(cancellationToken) ?? await FindAsync("1 = 1", null, cancellationToken);

    /// <summary>
    /// Keeps <paramref name="credential"/> as the one signed in. The terminal belongs to one restaurant at a time: another
    /// restaurant's sign-in forgets the mirror, and is refused while changes of the first one still wait to be pushed.
    /// </summary>
    public Task SignInAsync(Credential credential, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var tenant = await TerminalSettings.GetAsync(connection, transaction, TerminalSettings.TenantKey, cancellationToken);
            var tenantId = credential.TenantId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (tenant is not null && tenant != tenantId)
            {
                await using var pending = connection.Command(transaction, "SELECT count(*) FROM mutations WHERE state = 'pending'");
                if ((long)(await pending.ExecuteScalarAsync(cancellationToken))! > 0)
                {
                    throw PosError.Of(409, "This terminal still has changes of another restaurant waiting to be pushed: sync them before another restaurant signs in.");
                }

                await using var forget = connection.Command(transaction,
                    "DELETE FROM records; DELETE FROM orders; DELETE FROM mutations; DELETE FROM credentials; DELETE FROM settings WHERE key IN ('cursor', 'last_synced_at');");
                await forget.ExecuteNonQueryAsync(cancellationToken);
            }

            await TerminalSettings.SetAsync(connection, transaction, TerminalSettings.TenantKey, tenantId, cancellationToken);
            await using var command = connection.Command(transaction, """
                UPDATE credentials SET signed_in = 0;
                INSERT INTO credentials (user_id, tenant_id, token, user, signed_in) VALUES ($user_id, $tenant_id, $token, $user, 1)
                ON CONFLICT (user_id) DO UPDATE SET token = excluded.token, user = excluded.user, signed_in = 1;
                """);
            command.Parameters.AddWithValue("$user_id", credential.UserId);
            command.Parameters.AddWithValue("$tenant_id", credential.TenantId);
            command.Parameters.AddWithValue("$token", credential.Token);
            command.Parameters.AddWithValue("$user", credential.User.ToJsonString());
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    /// <summary>Ends the session at the till; the token stays only while the user's changes wait to be pushed.</summary>
    public Task SignOutAsync(long userId, CancellationToken cancellationToken) => ExecuteAsync("UPDATE credentials SET signed_in = 0 WHERE user_id = $user", userId, cancellationToken);

    public Task ForgetAsync(long userId, CancellationToken cancellationToken) => ExecuteAsync("DELETE FROM credentials WHERE user_id = $user", userId, cancellationToken);

    /// <summary>Signed-out users whose changes are all on the server: their tokens are revoked and forgotten.</summary>
    public Task<IReadOnlyList<Credential>> RetiredAsync(CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<Credential>>(async connection =>
        {
            await using var command = connection.Command(null, """
                SELECT user_id, tenant_id, token, user, signed_in FROM credentials c
                WHERE signed_in = 0 AND NOT EXISTS (SELECT 1 FROM mutations m WHERE m.user_id = c.user_id AND m.state = 'pending')
                """);
            var retired = new List<Credential>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                retired.Add(Read(reader));
            }

            return retired;
        }, cancellationToken);

    private Task<Credential?> FindAsync(string condition, long? userId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, $"SELECT user_id, tenant_id, token, user, signed_in FROM credentials WHERE {condition} ORDER BY signed_in DESC LIMIT 1");
            command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
        }, cancellationToken);

    private Task ExecuteAsync(string sql, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(transaction, sql);
            command.Parameters.AddWithValue("$user", userId);
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }, cancellationToken);

    private static Credential Read(Microsoft.Data.Sqlite.SqliteDataReader reader) =>
        new(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), PosJson.ParseObject(reader.GetString(3)), reader.GetInt64(4) == 1);
}
