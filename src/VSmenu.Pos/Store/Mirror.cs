using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>
/// The restaurant as pulled from the server: menu, tables and customers as the server has them; orders as the server has
/// them unless the till has a change of its own still waiting, which it keeps showing (read-your-writes) until pushed.
/// </summary>
public sealed class Mirror(PosDatabase database)
{
    /// <summary>Applies one page of <c>/sync/pull</c> and its cursor in one transaction; returns the orders whose record changed.</summary>
    public Task<OrdersChanged> ApplyAsync(JsonElement page, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var changed = new OrderChanges();
            foreach (var change in page.GetProperty("changes").EnumerateArray())
            {
                var entity = change.GetProperty("entity").GetString()!;
                var id = change.GetProperty("id").GetInt64();
                var deleted = change.GetProperty("op").GetString() == "delete";
                if (entity == "orders")
                {
                    await ApplyOrderAsync(connection, transaction, change, id, deleted, changed, cancellationToken);
                }
                else
                {
                    await ApplyRecordAsync(connection, transaction, entity, id, deleted ? null : change.GetProperty("data").GetRawText(), cancellationToken);
                }
            }

            await TerminalSettings.SetAsync(connection, transaction, TerminalSettings.CursorKey, page.GetProperty("cursor").GetString(), cancellationToken);
            return changed.Notification;
        }, cancellationToken);

    /// <summary>A cursor the server no longer serves: forget what was pulled (not what is waiting to be pushed) and start again.</summary>
    public Task ResetAsync(CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            await using var command = connection.Command(transaction, """
                DELETE FROM records;
                DELETE FROM orders WHERE local_id NOT IN (SELECT order_local_id FROM mutations WHERE state = 'pending' AND order_local_id IS NOT NULL);
                DELETE FROM settings WHERE key = 'cursor';
                """);
            await command.ExecuteNonQueryAsync(cancellationToken);
            return true;
        }, cancellationToken);

    public Task<RawJson> AllAsync(string entity, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, "SELECT data FROM records WHERE entity = $entity ORDER BY id");
            command.Parameters.AddWithValue("$entity", entity);
            return await command.ReadRecordsAsync(cancellationToken);
        }, cancellationToken);

    public Task<JsonNode?> FindAsync(string entity, long id, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, "SELECT data FROM records WHERE entity = $entity AND id = $id");
            command.Parameters.AddWithValue("$entity", entity);
            command.Parameters.AddWithValue("$id", id);
            return await command.ExecuteScalarAsync(cancellationToken) is string data ? JsonNode.Parse(data) : null;
        }, cancellationToken);

    private static async Task ApplyRecordAsync(PosConnection connection, SqliteTransaction transaction, string entity, long id, string? data, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, data is null
            ? "DELETE FROM records WHERE entity = $entity AND id = $id"
            : "INSERT INTO records (entity, id, data) VALUES ($entity, $id, $data) ON CONFLICT (entity, id) DO UPDATE SET data = excluded.data");
        command.Parameters.AddWithValue("$entity", entity);
        command.Parameters.AddWithValue("$id", id);
        command.Parameters.AddWithValue("$data", (object?)data ?? DBNull.Value);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task ApplyOrderAsync(
        PosConnection connection, SqliteTransaction transaction, JsonElement change, long id, bool deleted, OrderChanges changed, CancellationToken cancellationToken)
    {
        Guid? clientId = change.TryGetProperty("client_id", out var client) && client.ValueKind is JsonValueKind.String && client.TryGetGuid(out var parsed) ? parsed : null;
        var key = new OrderKey(id, clientId);
        var local = await OrderStore.FindAsync(connection, transaction, key, cancellationToken);
        if (deleted)
        {
            if (local is not null)
            {
                await using var delete = connection.Command(transaction, "DELETE FROM orders WHERE local_id = $local_id");
                delete.Parameters.AddWithValue("$local_id", local.LocalId);
                await delete.ExecuteNonQueryAsync(cancellationToken);
                changed.Add(local.Data);
            }

            return;
        }

        var record = JsonNode.Parse(change.GetProperty("data").GetRawText())!.AsObject();
        if (local is null)
        {
            // A pull that left the server before the till deleted the order would otherwise bring it back until the delete
            // is pushed (seen in CI: orders:getById found an order just deleted).
            if (await MutationQueue.HasPendingDeleteAsync(connection, transaction, key, cancellationToken))
            {
                return;
            }

            await OrderStore.InsertAsync(connection, transaction, record, cancellationToken);
        }
        else if (await MutationQueue.HasPendingAsync(connection, transaction, local.LocalId, cancellationToken))
        {
            // The till's own change is shown until the server has it; only the id the server gave is taken now.
            local.Data["id"] = id;
            record = local.Data;
            await OrderStore.ReplaceAsync(connection, transaction, local.LocalId, record, cancellationToken);
        }
        else
        {
            await OrderStore.ReplaceAsync(connection, transaction, local.LocalId, record, cancellationToken);
        }

        changed.Add(record);
    }
}
