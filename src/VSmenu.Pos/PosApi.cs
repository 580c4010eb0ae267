using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace VSmenu.Pos;

/// <summary>
/// The REST and sync API as the terminal uses it, through <see cref="HttpClient"/> with the service defaults' resilience
/// (retries with back-off, timeouts, circuit breaker) and service discovery. Never the database.
/// </summary>
public sealed class PosApi(HttpClient http)
{
    /// <summary>The service discovery name of the api (its http or https endpoint, whichever the AppHost gave).</summary>
    public static readonly Uri Address = new("https+http://api");

    public static bool IsUnreachable(Exception exception) => exception is HttpRequestException or TimeoutRejectedException or BrokenCircuitException
        or TaskCanceledException { InnerException: TimeoutException }
        or PosError { Status: >= 500 };

    public Task<JsonElement> LoginAsync(JsonElement credentials, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/v1/auth/login", null, credentials, cancellationToken);

    public Task<JsonElement> RegisterAsync(object restaurant, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/v1/auth/register", null, restaurant, cancellationToken);

    /// <summary>
    /// Revokes <paramref name="token"/>. One the api no longer accepts is revoked already: the sync engine revokes a
    /// signed-out user's token as soon as nothing of theirs is pending, which can be while the sign-out itself is still
    /// calling, and a token also ends by expiry or on another device.
    /// </summary>
    public async Task RevokeAsync(string token, CancellationToken cancellationToken)
    {
        try
        {
            await SendAsync(HttpMethod.Post, "/api/v1/auth/logout", token, null, cancellationToken);
        }
        catch (PosError gone) when (gone.Status == 401)
        {
        }
    }

    public Task<JsonElement> PostAsync(string path, string token, object body, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, path, token, body, cancellationToken);

    /// <summary>
    /// Pushes <paramref name="mutations"/>; with <paramref name="socketId"/> (the hub socket this terminal listens on) the
    /// hub does not echo the push's own events back to that socket, as Laravel Echo's <c>X-Socket-ID</c> asks.
    /// </summary>
    public Task<JsonElement> PushAsync(string token, Guid clientId, IEnumerable<object> mutations, string? socketId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Post, "/api/v1/sync/push", token, new { client_id = clientId, mutations }, socketId, cancellationToken);

    public Task<JsonElement> PullAsync(string token, string? cursor, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, cursor is null ? "/api/v1/sync/pull?limit=1000" : $"/api/v1/sync/pull?limit=1000&cursor={Uri.EscapeDataString(cursor)}", token, null, cancellationToken);

    /// <summary>The signature that lets this socket subscribe to a private channel (what pusher-js's authorizer asks).</summary>
    public async Task<string> AuthorizeChannelAsync(string token, string socketId, string channel, CancellationToken cancellationToken) =>
        (await SendAsync(HttpMethod.Post, "/api/v1/broadcasting/auth", token, new { socket_id = socketId, channel_name = channel }, cancellationToken))
            .GetProperty("auth").GetString()!;

    private Task<JsonElement> SendAsync(HttpMethod method, string path, string? token, object? body, CancellationToken cancellationToken) =>
        SendAsync(method, path, token, body, socketId: null, cancellationToken);

    /// <summary>Sends one request; answers its <c>data</c> (or the whole body where there is none), or throws the api's refusal as a <see cref="PosError"/>.</summary>
    private async Task<JsonElement> SendAsync(
        HttpMethod method, string path, string? token, object? body, string? socketId, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (socketId is not null)
        {
            request.Headers.Add("X-Socket-ID", socketId);
        }

        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: PosJson.Options);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            return default;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonElement answer;
        try
        {
            answer = text.Length == 0 ? default : JsonElement.Parse(text);
        }
        catch (JsonException)
        {
            answer = default;
        }

        if (!response.IsSuccessStatusCode)
        {
            var error = answer.ValueKind is JsonValueKind.Object
                ? JsonNode.Parse(answer.GetRawText())!.AsObject()
                : new JsonObject { ["message"] = $"The api answered {(int)response.StatusCode} {response.ReasonPhrase}." };
            throw new PosError((int)response.StatusCode, error);
        }

        return answer.ValueKind is JsonValueKind.Object && answer.TryGetProperty("data", out var data) ? data : answer;
    }
}
