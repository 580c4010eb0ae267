using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace VSmenu.Sandbox;

public sealed record ChargeRequest(long OrderId, decimal Amount, string Method);

public sealed record Charge(string Id, string Status, decimal Amount);

public sealed record MarketplaceOrder(string Status, decimal Total);

public sealed record MarketplaceAck(string Reference, string Status);

public sealed record ModeRequest([property: JsonRequired] ProviderMode Mode);

public sealed record ProviderState(ProviderMode Mode, long Requests);

/// <summary>
/// The sandbox's two providers and their remote control: <c>PUT /control/{provider}</c> with
/// <c>{"mode": "fail"|"timeout"|"decline"|"ok"}</c>, <c>GET /control/{provider}</c> for the mode and request count.
/// </summary>
public static class SandboxEndpoints
{
    public static IEndpointRouteBuilder MapSandboxEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/payments/charges", (ChargeRequest charge, [FromHeader(Name = "Idempotency-Key")] string? key, Providers providers, CancellationToken cancellationToken) =>
            providers.Payments.HandleAsync(key, mode => new Charge(
                $"ch_{Guid.NewGuid():N}", mode == ProviderMode.Decline ? "declined" : "captured", charge.Amount), cancellationToken));

        app.MapPut("/marketplace/orders/{orderId}", (string orderId, MarketplaceOrder order, [FromHeader(Name = "Idempotency-Key")] string? key, Providers providers, CancellationToken cancellationToken) =>
            providers.Marketplace.HandleAsync(key, _ => new MarketplaceAck($"mk_{orderId}", order.Status), cancellationToken));

        app.MapGet("/control/{provider}", (string provider, Providers providers) =>
            providers.Find(provider) is { } found ? Results.Ok(new ProviderState(found.Mode, found.Requests)) : Results.NotFound());

        app.MapPut("/control/{provider}", (string provider, ModeRequest request, Providers providers) =>
        {
            if (providers.Find(provider) is not { } found)
            {
                return Results.NotFound();
            }

            found.Mode = request.Mode;
            return Results.Ok(new ProviderState(found.Mode, found.Requests));
        });
        return app;
    }
}
