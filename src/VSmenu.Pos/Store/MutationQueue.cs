using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>One local change waiting for the server, numbered 1, 2, 3… per terminal as the sync contract wants.</summary>
public sealed record PendingMutation(long Id, string Name, JsonObject Args, long? OrderLocalId, long UserId);

/// <summary>A mutation the server refused: kept with its reason (what the REST API would have answered).</summary>
public sealed record RejectedMutation(long Id, string Name, JsonObject Args, int? StatusCode, string? Message, JsonNode? Errors, string SettledAt);

/// <summary>
/// The terminal's outbox of mutations. Ids come from SQLite's AUTOINCREMENT inside the write's transaction, so they have
/// no gaps: a rolled-back write takes its id back with it.
/// </summary>
public sealed class MutationQueue(PosDatabase database, TimeProvider time)
{
    public const string Pending = "pending";
    public const string Applied = "applied";
    public const string Rejected = "rejected";

    /// <summary>The sync contract's names of the till's order mutations.</summary>
    public const string CreateOrder = "orders.create";
    public const string UpdateOrder = "orders.update";
    public const string DeleteOrder = "orders.delete";

    internal static async Task EnqueueAsync(
        PosConnection connection, SqliteTransaction transaction, string name, JsonObject args, long? orderLocalId, long userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, """
            INSERT INTO mutations (name, args, order_local_id, user_id, created_at) VALUES ($name, $args, $order, $user, $at)
            """);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$args", args.ToJsonString());
        command.Parameters.AddWithValue("$order", (object?)orderLocalId ?? DBNull.Value);
        command.Parameters.AddWithValue("$user", userId);
        command.Parameters.AddWithValue("$at", PosJson.Wire(now));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The oldest pending mutations, up to <paramref name="limit"/>, as long as one user made them (a push carries one user's token).</summary>
    public Task<IReadOnlyList<PendingMutation>> NextBatchAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<PendingMutation>>(async connection =>
        {
            await using var command = connection.Command(null, "SELECT id, name, args, order_local_id, user_id FROM mutations WHERE state = 'pending' ORDER BY id LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
            var batch = new List<PendingMutation>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var mutation = new PendingMutation(
                    reader.GetInt64(0), reader.GetString(1), PosJson.ParseObject(reader.GetString(2)), reader.IsDBNull(3) ? null : reader.GetInt64(3), reader.GetInt64(4));
                if (batch.Count > 0 && batch[0].UserId != mutation.UserId)
                {
                    break;
                }

                batch.Add(mutation);
            }

            return batch;
        }, cancellationToken);

    public Task<long> CountPendingAsync(long? userId, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, "SELECT count(*) FROM mutations WHERE state = 'pending' AND ($user IS NULL OR user_id = $user)");
            command.Parameters.AddWithValue("$user", (object?)userId ?? DBNull.Value);
            return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }, cancellationToken);

    public Task<IReadOnlyList<RejectedMutation>> RejectedAsync(int limit, CancellationToken cancellationToken) =>
        database.ReadAsync<IReadOnlyList<RejectedMutation>>(async connection =>
        {
            await using var command = connection.Command(null, "SELECT id, name, args, result, settled_at FROM mutations WHERE state = 'rejected' ORDER BY id DESC LIMIT $limit");
            command.Parameters.AddWithValue("$limit", limit);
            var rejected = new List<RejectedMutation>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var result = PosJson.ParseObject(reader.GetString(3));
                rejected.Add(new RejectedMutation(
                    reader.GetInt64(0), reader.GetString(1), PosJson.ParseObject(reader.GetString(2)),
                    (int?)PosJson.Number(result["status_code"]), PosJson.Text(result["message"]), result["errors"]?.DeepClone(), reader.GetString(4)));
            }

            return rejected;
        }, cancellationToken);

    /// <summary>
    /// Records what the server made of a pushed batch, in one transaction: each mutation applied or rejected, and each order it
    /// touched now shows the server's record, unless a later change of the same order is still waiting (then it keeps
    /// showing that, and takes the server's id). A refused new order that the server never had leaves the till.
    /// </summary>
    public Task<SettledBatch> SettleAsync(IReadOnlyList<PendingMutation> batch, JsonElement results, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var byId = results.EnumerateArray().ToDictionary(result => result.GetProperty("id").GetInt64());
            var settled = new SettledBatch();
            var now = PosJson.Wire(time.GetUtcNow());
            foreach (var mutation in batch)
            {
                if (!byId.TryGetValue(mutation.Id, out var result))
                {
                    break;
                }

                var state = result.GetProperty("status").GetString() == Applied ? Applied : Rejected;
                await using (var update = connection.Command(transaction, "UPDATE mutations SET state = $state, result = $result, settled_at = $at WHERE id = $id"))
                {
                    update.Parameters.AddWithValue("$state", state);
                    update.Parameters.AddWithValue("$result", result.GetRawText());
                    update.Parameters.AddWithValue("$at", now);
                    update.Parameters.AddWithValue("$id", mutation.Id);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                settled.Count(state);
                if (mutation.OrderLocalId is { } localId)
                {
                    var record = result.TryGetProperty("record", out var value) && value.ValueKind is JsonValueKind.Object ? JsonNode.Parse(value.GetRawText())!.AsObject() : null;
                    await TakeServerVersionAsync(connection, transaction, mutation, localId, record, settled, cancellationToken);
                }
            }

            return settled;
        }, cancellationToken);

    /// <summary>Whether a change of this order still waits for the server (then the till keeps showing its own version).</summary>
    internal static async Task<bool> HasPendingAsync(PosConnection connection, SqliteTransaction transaction, long orderLocalId, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT EXISTS (SELECT 1 FROM mutations WHERE order_local_id = $local_id AND state = 'pending')");
        command.Parameters.AddWithValue("$local_id", orderLocalId);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    /// <summary>Whether the till deleted this order and the delete still waits for the server: a pull must not bring it back.</summary>
    internal static async Task<bool> HasPendingDeleteAsync(PosConnection connection, SqliteTransaction transaction, OrderKey order, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, """
            SELECT EXISTS (SELECT 1 FROM mutations WHERE name = $name AND state = 'pending'
                AND (json_extract(args, '$.id') = $id OR json_extract(args, '$.client_id') = $client_id))
            """);
        command.Parameters.AddWithValue("$name", DeleteOrder);
        command.Parameters.AddWithValue("$id", (object?)order.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("$client_id", (object?)order.ClientId?.ToString() ?? DBNull.Value);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))! == 1;
    }

    private static async Task TakeServerVersionAsync(
        PosConnection connection, SqliteTransaction transaction, PendingMutation mutation, long localId, JsonObject? record, SettledBatch settled, CancellationToken cancellationToken)
    {
        await using var current = connection.Command(transaction, "SELECT data FROM orders WHERE local_id = $local_id");
        current.Parameters.AddWithValue("$local_id", localId);
        if (await current.ExecuteScalarAsync(cancellationToken) is not string data)
        {
            return;
        }

        var shown = PosJson.ParseObject(data);
        var stillPending = await HasPendingAsync(connection, transaction, localId, cancellationToken);
        settled.Orders.Add(shown);
        if (record is null)
        {
            if (mutation.Name == CreateOrder && !stillPending)
            {
                await using var delete = connection.Command(transaction, "DELETE FROM orders WHERE local_id = $local_id");
                delete.Parameters.AddWithValue("$local_id", localId);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            return;
        }

        if (stillPending)
        {
            shown["id"] = record["id"]?.DeepClone();
            record = shown;
        }

        await OrderStore.ReplaceAsync(connection, transaction, localId, record, cancellationToken);
        settled.Orders.Add(record);
    }
}

/// <summary>How a push ended: how many mutations the server applied and refused, and the orders whose record changed.</summary>
public sealed class SettledBatch
{
    public int Applied { get; private set; }

    public int Rejected { get; private set; }

    public OrderChanges Orders { get; } = new();

    public void Count(string state)
    {
        if (state == MutationQueue.Applied)
        {
            Applied++;
        }
        else
        {
            Rejected++;
        }
    }
}

/// <summary>The orders whose record changed in one step (a write, a push, a pulled page), gathered for <c>orders:changed</c>.</summary>
public sealed class OrderChanges
{
    private readonly HashSet<long> _ids = [];
    private readonly HashSet<string> _clientIds = [];

    public OrdersChanged Notification => new([.. _ids], [.. _clientIds]);

    public void Add(JsonObject order)
    {
        if (PosJson.Number(order["id"]) is { } id)
        {
            _ids.Add(id);
        }

        if (PosJson.Text(order["client_id"]) is { } clientId)
        {
            _clientIds.Add(clientId);
        }
    }
}

/// <summary>The <c>orders:changed</c> notification: the server ids and client ids of the orders whose record changed.</summary>
public sealed record OrdersChanged(IReadOnlyList<long> Ids, IReadOnlyList<string> ClientIds)
{
    public bool Any => Ids.Count > 0 || ClientIds.Count > 0;
}
