using System.Text.Json;

namespace VSmenu.Worker.Marketplace;

public sealed record MarketplaceAck(string Reference, string Status);

/// <summary>The marketplace's (iFood-like) order API: the state of one of our delivery orders, put idempotently.</summary>
public sealed class MarketplaceClient(HttpClient http)
{
    public const string Name = "Marketplace";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<MarketplaceAck> PutOrderAsync(long orderId, string status, decimal total, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/marketplace/orders/{orderId}")
        {
            Content = JsonContent.Create(new { Status = status, Total = total }, options: Json),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<MarketplaceAck>(Json, cancellationToken)
            ?? throw new InvalidOperationException("The marketplace answered nothing.");
    }
}
