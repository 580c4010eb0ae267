using VSmenu.Worker.ExternalServices;

namespace VSmenu.Worker.Marketplace;

public sealed record MarketplaceAck(string Reference, string Status);

/// <summary>The marketplace's (iFood-like) order API: the state of one of our delivery orders, put idempotently.</summary>
public sealed class MarketplaceClient(HttpClient http)
{
    public const string Name = "Marketplace";

    public Task<MarketplaceAck> PutOrderAsync(long orderId, string status, decimal total, string idempotencyKey, CancellationToken cancellationToken) =>
        IdempotentCall.SendAsync<MarketplaceAck>(
            http, HttpMethod.Put, new Uri($"/marketplace/orders/{orderId}", UriKind.Relative),
            new { Status = status, Total = total }, idempotencyKey, cancellationToken);
}
