using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>
/// The orders a till shows: what was pulled, with the terminal's own changes on top until the server has them. Each
/// local write and the mutation that carries it to the server are one SQLite transaction, so a crash keeps both or neither.
/// </summary>
public sealed class OrderStore(PosDatabase database, TimeProvider time)
{
    public Task<RawJson> GetAllAsync(OrderFilters filters, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection =>
        {
            await using var command = connection.Command(null, """
                SELECT data FROM orders
                WHERE ($status IS NULL OR status = $status) AND ($type IS NULL OR type = $type)
                  AND ($table_id IS NULL OR table_id = $table_id)
                  AND ($customer_id IS NULL OR json_extract(data, '$.customer_id') = $customer_id)
                  AND ($from IS NULL OR created_at >= $from) AND ($to IS NULL OR created_at <= $to)
                ORDER BY created_at DESC, local_id DESC
                """);
            command.Parameters.AddWithValue("$status", (object?)filters.Status ?? DBNull.Value);
            command.Parameters.AddWithValue("$type", (object?)filters.Type ?? DBNull.Value);
            command.Parameters.AddWithValue("$table_id", (object?)filters.TableId ?? DBNull.Value);
            command.Parameters.AddWithValue("$customer_id", (object?)filters.CustomerId ?? DBNull.Value);
            command.Parameters.AddWithValue("$from", filters.CreatedFrom is { } from ? PosJson.Sortable(from) : DBNull.Value);
            command.Parameters.AddWithValue("$to", filters.CreatedTo is { } to ? PosJson.Sortable(to) : DBNull.Value);
            return await command.ReadRecordsAsync(cancellationToken);
        }, cancellationToken);

    public Task<JsonObject> GetAsync(OrderKey key, CancellationToken cancellationToken) =>
        database.ReadAsync(async connection => (await FindAsync(connection, null, key, cancellationToken))?.Data
            ?? throw PosError.NotFound($"Order {key}"), cancellationToken);

    public Task<JsonObject> CreateAsync(JsonElement orderData, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var products = await ProductsAsync(connection, transaction, OrderDraft.ProductIds(orderData), cancellationToken);
            var clientId = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var order = OrderDraft.Create(orderData, products, clientId, now);
            var localId = await InsertAsync(connection, transaction, order, cancellationToken);
            var args = JsonNode.Parse(orderData.GetRawText())!.AsObject();
            args["client_id"] = clientId.ToString();
            await MutationQueue.EnqueueAsync(connection, transaction, MutationQueue.CreateOrder, args, localId, userId, now, cancellationToken);
            return order;
        }, cancellationToken);

    public Task<JsonObject> UpdateAsync(OrderKey key, JsonElement orderData, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var found = await FindAsync(connection, transaction, key, cancellationToken) ?? throw PosError.NotFound($"Order {key}");
            var now = time.GetUtcNow();
            var order = OrderDraft.Change(found.Data, orderData, now);
            await ReplaceAsync(connection, transaction, found.LocalId, order, cancellationToken);
            var args = JsonNode.Parse(orderData.GetRawText())!.AsObject();
            Name(args, found.Data);
            await MutationQueue.EnqueueAsync(connection, transaction, MutationQueue.UpdateOrder, args, found.LocalId, userId, now, cancellationToken);
            return order;
        }, cancellationToken);

    public Task<JsonObject> DeleteAsync(OrderKey key, long userId, CancellationToken cancellationToken) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var found = await FindAsync(connection, transaction, key, cancellationToken) ?? throw PosError.NotFound($"Order {key}");
            await using (var delete = connection.Command(transaction, "DELETE FROM orders WHERE local_id = $local_id"))
            {
                delete.Parameters.AddWithValue("$local_id", found.LocalId);
                await delete.ExecuteNonQueryAsync(cancellationToken);
            }

            var args = new JsonObject();
            Name(args, found.Data);
            await MutationQueue.EnqueueAsync(connection, transaction, MutationQueue.DeleteOrder, args, found.LocalId, userId, time.GetUtcNow(), cancellationToken);
            return found.Data;
        }, cancellationToken);

    /// <summary>A change names the order by its server id once it has one, else by the client id it was created with.</summary>
    private static void Name(JsonObject args, JsonObject order)
    {
        args.Remove("id");
        args.Remove("client_id");
        if (PosJson.Number(order["id"]) is { } id)
        {
            args["id"] = id;
        }
        else
        {
            args["client_id"] = PosJson.Text(order["client_id"]);
        }
    }

    internal sealed record LocalOrder(long LocalId, JsonObject Data);

    internal static async Task<LocalOrder?> FindAsync(PosConnection connection, SqliteTransaction? transaction, OrderKey key, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, "SELECT local_id, data FROM orders WHERE id = $id OR client_id = $client_id");
        command.Parameters.AddWithValue("$id", (object?)key.Id ?? DBNull.Value);
        command.Parameters.AddWithValue("$client_id", key.ClientId?.ToString() ?? (object)DBNull.Value);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? new LocalOrder(reader.GetInt64(0), PosJson.ParseObject(reader.GetString(1))) : null;
    }

    internal static async Task<long> InsertAsync(PosConnection connection, SqliteTransaction transaction, JsonObject order, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, """
            INSERT INTO orders (id, client_id, status, type, table_id, created_at, data)
            VALUES ($id, $client_id, $status, $type, $table_id, $created_at, $data) RETURNING local_id
            """);
        Bind(command, order);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    internal static async Task ReplaceAsync(PosConnection connection, SqliteTransaction transaction, long localId, JsonObject order, CancellationToken cancellationToken)
    {
        await using var command = connection.Command(transaction, """
            UPDATE orders SET id = $id, client_id = $client_id, status = $status, type = $type, table_id = $table_id,
                created_at = $created_at, data = $data
            WHERE local_id = $local_id
            """);
        Bind(command, order);
        command.Parameters.AddWithValue("$local_id", localId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static void Bind(PosCommand command, JsonObject order)
    {
        command.Parameters.AddWithValue("$id", (object?)PosJson.Number(order["id"]) ?? DBNull.Value);
        command.Parameters.AddWithValue("$client_id", (object?)PosJson.Text(order["client_id"]) ?? DBNull.Value);
        command.Parameters.AddWithValue("$status", PosJson.Text(order["status"]) ?? "");
        command.Parameters.AddWithValue("$type", PosJson.Text(order["type"]) ?? "");
        command.Parameters.AddWithValue("$table_id", (object?)PosJson.Number(order["table_id"]) ?? DBNull.Value);
        command.Parameters.AddWithValue("$created_at", PosJson.Sortable(DateTimeOffset.Parse(PosJson.Text(order["created_at"])!, System.Globalization.CultureInfo.InvariantCulture)));
        command.Parameters.AddWithValue("$data", order.ToJsonString());
    }

    private static async Task<Dictionary<long, JsonObject>> ProductsAsync(
        PosConnection connection, SqliteTransaction transaction, IReadOnlyList<long> ids, CancellationToken cancellationToken)
    {
        var products = new Dictionary<long, JsonObject>();
        if (ids.Count == 0)
        {
            return products;
        }

        await using var command = connection.Command(transaction, "SELECT id, data FROM records WHERE entity = 'products' AND id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(ids));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            products[reader.GetInt64(0)] = PosJson.ParseObject(reader.GetString(1));
        }

        return products;
    }
}
