using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace VSmenu.IntegrationTests.Api;

/// <summary>
/// A signed-in member of a restaurant's staff, talking to the real api over HTTP from a device of their own: each
/// session has its own client address (sent as <c>X-Forwarded-For</c>, which the api trusts from loopback), as
/// separate tablets behind a load balancer would, so per-address limits count each device apart.
/// </summary>
public sealed class ApiSession : IDisposable
{
    private readonly TopologyFixture _topology;

    private ApiSession(TopologyFixture topology, string token, long tenantId, long userId, string email, string? language)
    {
        _topology = topology;
        Token = token;
        TenantId = tenantId;
        UserId = userId;
        Email = email;
        Http = CreateDeviceClient(topology);
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (language is not null)
        {
            Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        }
    }

    public const string Password = "correct horse battery";

    public HttpClient Http { get; }

    public string Token { get; }

    public long TenantId { get; }

    public long UserId { get; }

    public string Email { get; }

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public static string UniqueEmail(string who = "owner") => $"{who}-{Guid.NewGuid():N}@example.com";

    /// <summary>A client address no other device in the test run has (10.0.0.0/8, 16 million of them).</summary>
    public static string UniqueClientAddress() =>
        $"10.{Random.Shared.Next(256)}.{Random.Shared.Next(256)}.{Random.Shared.Next(1, 255)}";

    /// <summary>An HTTP client to the api (through the orchestrator, across replicas) from a device of its own.</summary>
    public static HttpClient CreateDeviceClient(TopologyFixture topology, string? clientAddress = null)
    {
        var http = topology.CreateHttpClient("api");
        http.DefaultRequestHeaders.Add("X-Forwarded-For", clientAddress ?? UniqueClientAddress());
        return http;
    }

    /// <summary>Registers a new restaurant and returns its owner's session.</summary>
    public static async Task<ApiSession> RegisterAsync(TopologyFixture topology, string? language = null)
    {
        using var anonymous = CreateDeviceClient(topology);
        var email = UniqueEmail();
        var response = await ApiResponse.ReadAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/register",
            new { restaurant_name = "Cantina São João", name = "Ana Owner", email, password = Password }, Cancellation));
        Assert.Equal(HttpStatusCode.Created, response.Status);
        return new ApiSession(topology, response.Data["token"]!.GetValue<string>(), response.Data["tenant"]!["id"]!.GetValue<long>(),
            response.Data["user"]!["id"]!.GetValue<long>(), email, language);
    }

    /// <summary>Creates a member of staff with <paramref name="role"/> and signs them in.</summary>
    public async Task<ApiSession> AddStaffAsync(string role)
    {
        var email = UniqueEmail(role);
        (await PostAsync("/api/v1/users", new { name = $"Staff {role}", email, password = Password, role })).AssertStatus(HttpStatusCode.Created);
        var login = await SignInAsync(_topology, email);
        return new ApiSession(_topology, login.Data["token"]!.GetValue<string>(), TenantId, login.Data["user"]!["id"]!.GetValue<long>(), email, null);
    }

    /// <summary>Signs <paramref name="email"/> in from a device of its own; the answer carries a new token.</summary>
    public static async Task<ApiResponse> SignInAsync(TopologyFixture topology, string email)
    {
        using var device = CreateDeviceClient(topology);
        var login = await ApiResponse.ReadAsync(await device.PostAsJsonAsync("/api/v1/auth/login", new { email, password = Password }, Cancellation));
        return login.AssertStatus(HttpStatusCode.OK);
    }

    /// <summary><c>GET /auth/me</c> with <paramref name="token"/>, from a device of its own.</summary>
    public static async Task<ApiResponse> MeAsync(TopologyFixture topology, string token)
    {
        using var device = CreateSignedInDevice(topology, token);
        return await ApiResponse.ReadAsync(await device.GetAsync("/api/v1/auth/me", Cancellation));
    }

    /// <summary><c>POST /auth/logout</c> with <paramref name="token"/> (which revokes it), from a device of its own.</summary>
    public static async Task<ApiResponse> LogoutAsync(TopologyFixture topology, string token)
    {
        using var device = CreateSignedInDevice(topology, token);
        return await ApiResponse.ReadAsync(await device.PostAsync("/api/v1/auth/logout", null, Cancellation));
    }

    /// <summary>Sends one request with <paramref name="token"/> through <paramref name="client"/> (a replica's own, say).</summary>
    public static async Task<HttpResponseMessage> SendWithTokenAsync(HttpClient client, HttpMethod method, string path, string token, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await client.SendAsync(request, Cancellation);
    }

    private static HttpClient CreateSignedInDevice(TopologyFixture topology, string token)
    {
        var device = CreateDeviceClient(topology);
        device.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return device;
    }

    public async Task<ApiResponse> GetAsync(string path) => await ApiResponse.ReadAsync(await Http.GetAsync(path, Cancellation));

    public async Task<ApiResponse> PostAsync(string path, object body, string? socketId = null) =>
        await SendAsync(HttpMethod.Post, path, body, socketId);

    public async Task<ApiResponse> PatchAsync(string path, object body, string? socketId = null) =>
        await SendAsync(HttpMethod.Patch, path, body, socketId);

    public async Task<ApiResponse> PutAsync(string path, object body) => await SendAsync(HttpMethod.Put, path, body, null);

    public async Task<ApiResponse> DeleteAsync(string path) => await ApiResponse.ReadAsync(await Http.DeleteAsync(path, Cancellation));

    /// <summary>
    /// Sends <paramref name="body"/> as is. With <paramref name="expectContinue"/> the client announces the body and
    /// waits for the server's go-ahead, as clients do with large uploads: a server that refuses the body then answers
    /// before it is sent, instead of closing the connection under the client's feet.
    /// </summary>
    public async Task<ApiResponse> SendRawAsync(HttpMethod method, string path, string body, string contentType = "application/json", bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body) };
        request.Headers.ExpectContinue = expectContinue;
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return await ApiResponse.ReadAsync(await Http.SendAsync(request, Cancellation));
    }

    private async Task<ApiResponse> SendAsync(HttpMethod method, string path, object body, string? socketId)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (socketId is not null)
        {
            request.Headers.Add("X-Socket-ID", socketId);
        }

        return await ApiResponse.ReadAsync(await Http.SendAsync(request, Cancellation));
    }

    public async Task<long> CreateCategoryAsync(string name = "Pizzas") =>
        (await PostAsync("/api/v1/categories", new { name })).AssertStatus(HttpStatusCode.Created).Id;

    public async Task<long> CreateProductAsync(long categoryId, decimal price, string name = "Pizza Margherita", int? stock = null) =>
        (await PostAsync("/api/v1/products", new { name, price, category_id = categoryId, stock_quantity = stock })).AssertStatus(HttpStatusCode.Created).Id;

    public async Task<long> CreateCustomerAsync(string name = "João Silva", string email = "joao@example.com") =>
        (await PostAsync("/api/v1/customers", new { name, email })).AssertStatus(HttpStatusCode.Created).Id;

    public async Task<long> CreateAddressAsync(long customerId) =>
        (await PostAsync($"/api/v1/customers/{customerId}/addresses",
            new { street = "Rua das Flores", number = "10", city = "São Paulo", state = "SP", postal_code = "01000-000" }))
        .AssertStatus(HttpStatusCode.Created).Id;

    public async Task<long> CreateTableAsync(int number, int seats = 4) =>
        (await PostAsync("/api/v1/tables", new { number, seats })).AssertStatus(HttpStatusCode.Created).Id;

    /// <summary>One dish with <paramref name="stock"/> units on the shelf, and a customer to order it for: what stock and outage tests need.</summary>
    public async Task<(long Product, long Customer)> CreateStockedDishAsync(string name, decimal price, int stock) =>
        (await CreateProductAsync(await CreateCategoryAsync(), price, name, stock), await CreateCustomerAsync());

    /// <summary>A menu of one category with the given product prices, and a customer: what most order tests need.</summary>
    public async Task<Menu> CreateMenuAsync(params decimal[] prices)
    {
        var categoryId = await CreateCategoryAsync();
        var products = new List<long>();
        for (var i = 0; i < prices.Length; i++)
        {
            products.Add(await CreateProductAsync(categoryId, prices[i], $"Produto {i}"));
        }

        return new Menu(categoryId, products, await CreateCustomerAsync());
    }

    public async Task<ApiResponse> CreateTakeawayOrderAsync(Menu menu, params (int Product, int Quantity)[] lines) =>
        await PostAsync("/api/v1/orders", new
        {
            type = "takeaway",
            customer_id = menu.CustomerId,
            items = lines.Select(line => new { product_id = menu.Products[line.Product], quantity = line.Quantity }).ToArray(),
        });

    public void Dispose() => Http.Dispose();

    public sealed record Menu(long CategoryId, IReadOnlyList<long> Products, long CustomerId);
}

public sealed record ApiResponse(HttpStatusCode Status, JsonNode? Body, HttpResponseMessage Raw)
{
    public JsonNode Data => Body?["data"] ?? throw new InvalidOperationException($"No data in {Status}: {Body?.ToJsonString()}");

    public long Id => Data["id"]!.GetValue<long>();

    public string? Message => Body?["message"]?.GetValue<string>();

    public IEnumerable<JsonNode> Items => Data.AsArray().Select(item => item!);

    public IEnumerable<long> Ids => Items.Select(item => item["id"]!.GetValue<long>());

    public string[] Errors(string field) => Body?["errors"]?[field]?.AsArray().Select(message => message!.GetValue<string>()).ToArray() ?? [];

    public ApiResponse AssertStatus(HttpStatusCode expected)
    {
        Assert.True(Status == expected, $"Expected {(int)expected}, got {(int)Status}: {Body?.ToJsonString()}");
        return this;
    }

    /// <summary>Status and body only: the derived properties throw on a body without them, as an error answer is.</summary>
    public override string ToString() => $"{(int)Status} {Status}: {Body?.ToJsonString()}";

    public static async Task<ApiResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        return new ApiResponse(response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }
}
