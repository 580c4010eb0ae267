using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>A restaurant signed up through the API with three products and a customer, and the requests a bench sends as it.</summary>
internal sealed class BenchRestaurant
{
    public const string Password = "benchmark-password";

    private BenchRestaurant(HttpClient http, string email, long tenantId, long customerId, long[] productIds)
    {
        Http = http;
        Email = email;
        TenantId = tenantId;
        CustomerId = customerId;
        ProductIds = productIds;
        Order = new
        {
            type = "takeaway",
            customer_id = customerId,
            payment_method = "pix",
            items = productIds.Select(id => new { product_id = id, quantity = 1, price = 17.00m }).ToArray(),
        };
    }

    public HttpClient Http { get; }

    /// <summary>The owner's sign-in (with <see cref="Password"/>).</summary>
    public string Email { get; }

    public long TenantId { get; }

    public long CustomerId { get; }

    public long[] ProductIds { get; }

    /// <summary>A takeaway order of one of each product, at the catalogue's prices.</summary>
    public object Order { get; }

    /// <summary>Signs a restaurant up on the api of <paramref name="app"/>, talking to the api's own Kestrel port.</summary>
    public static async Task<BenchRestaurant> SignUpAsync(DistributedApplication app, int clients, int? stock = null, int products = 3)
    {
        var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = DirectAddressOf(app, "api"),
        };
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        var registered = await ReadAsync(await http.PostAsJsonAsync("/api/v1/auth/register",
            new { restaurant_name = "Bench", name = "Bench", email, password = Password }));
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", registered["token"]!.GetValue<string>());
        var categoryId = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/categories", new { name = "Pizzas" })))["id"]!.GetValue<long>();
        var productIds = new long[products];
        for (var i = 0; i < productIds.Length; i++)
        {
            productIds[i] = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/products",
                new { name = $"Pizza {i}", price = 17.00m, category_id = categoryId, stock_quantity = stock })))["id"]!.GetValue<long>();
        }

        var customerId = (await ReadAsync(await http.PostAsJsonAsync("/api/v1/customers", new { name = "Cliente", email = "cliente@example.com" })))["id"]!.GetValue<long>();
        return new BenchRestaurant(http, email, registered["tenant"]!["id"]!.GetValue<long>(), customerId, productIds);
    }

    /// <summary>
    /// Adds <paramref name="count"/> members of staff with <paramref name="role"/>, each signed in on a tablet of its own: a
    /// client with its own bearer token and its own address (<c>X-Forwarded-For</c>, trusted from loopback).
    /// </summary>
    public async Task<HttpClient[]> AddStaffAsync(string role, int count)
    {
        var tablets = new HttpClient[count];
        for (var i = 0; i < count; i++)
        {
            tablets[i] = await AddTabletAsync(role, i);
        }

        return tablets;
    }

    /// <summary>Adds the <paramref name="index"/>th member of staff with <paramref name="role"/>, signed in on a tablet of its own.</summary>
    public async Task<HttpClient> AddTabletAsync(string role, int index)
    {
        var email = $"{role}-{index}-{Guid.NewGuid():N}@example.com";
        await ReadAsync(await Http.PostAsJsonAsync("/api/v1/users", new { name = $"{role} {index}", email, password = Password, role }));
        var tablet = new HttpClient { BaseAddress = Http.BaseAddress };
        tablet.DefaultRequestHeaders.Add("X-Forwarded-For", $"10.19.{index / 250}.{(index % 250) + 1}");
        var signedIn = await ReadAsync(await tablet.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }));
        tablet.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedIn["token"]!.GetValue<string>());
        return tablet;
    }

    public async Task<bool> PostOrderAsync(string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = JsonContent.Create(Order) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await Http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Created;
    }

    public async Task<JsonNode> CreateOrderAsync() => await ReadAsync(await Http.PostAsJsonAsync("/api/v1/orders", Order));

    public async Task<bool> ListOrdersAsync()
    {
        using var response = await Http.GetAsync("/api/v1/orders?include=items,customer");
        await response.Content.LoadIntoBufferAsync();
        return response.IsSuccessStatusCode;
    }

    private static Uri DirectAddressOf(DistributedApplication app, string resource) =>
        app.ResourceNotifications.TryGetCurrentState(resource, out var state) && VsmenuTopology.DirectAddress(state.Snapshot) is { } direct
            ? direct
            : app.GetEndpoint(resource, "http");

    private static async Task<JsonNode> ReadAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return response.IsSuccessStatusCode
            ? JsonNode.Parse(body)!["data"]!
            : throw new InvalidOperationException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {body}");
    }
}
