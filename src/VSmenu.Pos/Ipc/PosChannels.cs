using System.Text.Json;
using System.Text.Json.Nodes;
using StreamJsonRpc;
using VSmenu.Pos.Auth;
using VSmenu.Pos.Store;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// The IPC contract, one method per channel of the spec's preload with its arguments in order. Reads and writes are
/// local and never wait for the network; a write wakes the sync engine, which pushes it when the api can be reached.
/// Arguments are positional, as the preload passes them (vscode-jsonrpc: <c>ParameterStructures.byPosition</c>); named
/// parameters bind by these methods' parameter names.
/// </summary>
public sealed class PosChannels(OrderStore orders, Mirror mirror, SyncEngine sync, PosSession session, PosEvents events)
{
    [JsonRpcMethod("orders:getAll")]
    public Task<RawJson> GetOrdersAsync(JsonElement? filters = null, CancellationToken cancellationToken = default) =>
        orders.GetAllAsync(OrderFilters.Parse(filters), cancellationToken);

    [JsonRpcMethod("orders:getById")]
    public Task<JsonObject> GetOrderAsync(JsonElement id, CancellationToken cancellationToken = default) =>
        orders.GetAsync(OrderKey.Parse(id), cancellationToken);

    [JsonRpcMethod("orders:create")]
    public async Task<JsonObject> CreateOrderAsync(JsonElement orderData, CancellationToken cancellationToken = default)
    {
        var user = await session.RequireUserAsync(cancellationToken);
        return Changed(await orders.CreateAsync(orderData, user.UserId, cancellationToken));
    }

    [JsonRpcMethod("orders:update")]
    public async Task<JsonObject> UpdateOrderAsync(JsonElement id, JsonElement orderData, CancellationToken cancellationToken = default)
    {
        var user = await session.RequireUserAsync(cancellationToken);
        return Changed(await orders.UpdateAsync(OrderKey.Parse(id), orderData, user.UserId, cancellationToken));
    }

    [JsonRpcMethod("orders:delete")]
    public async Task<JsonObject> DeleteOrderAsync(JsonElement id, CancellationToken cancellationToken = default)
    {
        var user = await session.RequireUserAsync(cancellationToken);
        return Changed(await orders.DeleteAsync(OrderKey.Parse(id), user.UserId, cancellationToken));
    }

    [JsonRpcMethod("orders:sync")]
    public Task<SyncStatus> SyncOrdersAsync(CancellationToken cancellationToken = default) => StartSyncAsync(cancellationToken);

    [JsonRpcMethod("products:getAll")]
    public Task<RawJson> GetProductsAsync(CancellationToken cancellationToken = default) => mirror.AllAsync("products", cancellationToken);

    [JsonRpcMethod("products:getById")]
    public async Task<JsonNode> GetProductAsync(long id, CancellationToken cancellationToken = default) =>
        await mirror.FindAsync("products", id, cancellationToken) ?? throw PosError.NotFound($"Product {id}");

    /// <summary>Starts a sync now and answers at once; how it goes arrives as <c>sync:statusChanged</c>.</summary>
    [JsonRpcMethod("sync:start")]
    public async Task<SyncStatus> StartSyncAsync(CancellationToken cancellationToken = default)
    {
        sync.Wake();
        return await sync.StatusAsync(withRejections: false, cancellationToken);
    }

    /// <summary>The state, the pending count, the cursor, and the mutations the server refused with their reasons.</summary>
    [JsonRpcMethod("sync:status")]
    public Task<SyncStatus> SyncStatusAsync(CancellationToken cancellationToken = default) => sync.StatusAsync(withRejections: true, cancellationToken);

    [JsonRpcMethod("auth:login")]
    public Task<JsonObject> LoginAsync(JsonElement credentials, CancellationToken cancellationToken = default) => session.LoginAsync(credentials, cancellationToken);

    [JsonRpcMethod("auth:logout")]
    public Task<JsonObject> LogoutAsync(JsonElement? options = null, CancellationToken cancellationToken = default) => session.LogoutAsync(options, cancellationToken);

    [JsonRpcMethod("auth:getToken")]
    public Task<string?> GetTokenAsync(CancellationToken cancellationToken = default) => session.TokenAsync(cancellationToken);

    private JsonObject Changed(JsonObject order)
    {
        var changed = new OrderChanges();
        changed.Add(order);
        events.Raise(changed.Notification);
        sync.PushSoon();
        return order;
    }
}
