using System.Text.Json;

namespace VSmenu.Worker.ExternalServices;

/// <summary>
/// One call to an external provider as the jobs make them: a snake_case JSON body, the job's idempotency key (so a
/// retried job gets the provider's first answer instead of a second effect), and a failure for any non-success status.
/// </summary>
public static class IdempotentCall
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task SendAsync(HttpClient http, HttpMethod method, Uri target, object body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(http, method, target, body, idempotencyKey, cancellationToken);
    }

    public static async Task<TAnswer> SendAsync<TAnswer>(
        HttpClient http, HttpMethod method, Uri target, object body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var response = await SendCoreAsync(http, method, target, body, idempotencyKey, cancellationToken);
        return await response.Content.ReadFromJsonAsync<TAnswer>(Json, cancellationToken)
            ?? throw new InvalidOperationException($"{target} answered nothing.");
    }

    private static async Task<HttpResponseMessage> SendCoreAsync(
        HttpClient http, HttpMethod method, Uri target, object body, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, target) { Content = JsonContent.Create(body, options: Json) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        var response = await http.SendAsync(request, cancellationToken);
        try
        {
            response.EnsureSuccessStatusCode();
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
