using VSmenu.Data;
using VSmenu.Data.Orders;
using VSmenu.Worker.ExternalServices;

namespace VSmenu.Worker.Payments;

public sealed record Charge(string Id, string Status)
{
    public bool Captured => Status == "captured";
}

/// <summary>The payment gateway's charge API; the idempotency key makes a repeated charge return the first one.</summary>
public sealed class PaymentGateway(HttpClient http)
{
    public const string Name = "Payments";

    public Task<Charge> ChargeAsync(long orderId, decimal amount, PaymentMethod method, string idempotencyKey, CancellationToken cancellationToken) =>
        IdempotentCall.SendAsync<Charge>(
            http, HttpMethod.Post, new Uri("/payments/charges", UriKind.Relative),
            new { OrderId = orderId, Amount = amount, Method = WireEnum<PaymentMethod>.Name(method) }, idempotencyKey, cancellationToken);
}
