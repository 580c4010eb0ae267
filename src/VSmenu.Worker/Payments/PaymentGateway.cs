using System.Text.Json;
using VSmenu.Data;
using VSmenu.Data.Orders;

namespace VSmenu.Worker.Payments;

public sealed record Charge(string Id, string Status)
{
    public bool Captured => Status == "captured";
}

/// <summary>The payment gateway's charge API; the idempotency key makes a repeated charge return the first one.</summary>
public sealed class PaymentGateway(HttpClient http)
{
    public const string Name = "Payments";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public async Task<Charge> ChargeAsync(long orderId, decimal amount, PaymentMethod method, string idempotencyKey, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/payments/charges")
        {
            Content = JsonContent.Create(new { OrderId = orderId, Amount = amount, Method = WireEnum<PaymentMethod>.Name(method) }, options: Json),
        };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<Charge>(Json, cancellationToken)
            ?? throw new InvalidOperationException("The payment gateway answered an empty charge.");
    }
}
