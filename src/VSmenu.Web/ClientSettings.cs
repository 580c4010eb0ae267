namespace VSmenu.Web;

/// <summary>
/// What the app in the browser reads at start (<c>/config.json</c>): where the api and the hub are, from the AppHost's
/// references (<c>services:api</c>, <c>services:realtime</c>), and the Pusher app's public key. Never the secret.
/// </summary>
public sealed class ClientSettings
{
    /// <summary>The api's address for pages served over http and over https.</summary>
    public required Addresses Api { get; init; }

    /// <summary>The hub's address for pages served over http (ws) and over https (wss).</summary>
    public required Addresses Hub { get; init; }

    public required string PusherKey { get; init; }

    /// <summary>Minutes after which a ticket's timer turns amber, then red.</summary>
    public int[] TicketAlertMinutes { get; init; } = [5, 8];

    public sealed record Addresses(string? Http, string? Https);
}

public static class ClientSettingsExtensions
{
    public static WebApplicationBuilder AddClientSettings(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(services =>
        {
            var configuration = services.GetRequiredService<IConfiguration>();
            return new ClientSettings
            {
                Api = AddressesOf(configuration, "api"),
                Hub = AddressesOf(configuration, "realtime"),
                PusherKey = configuration["Pusher:Key"] ?? throw new InvalidOperationException("Pusher:Key is not set; the AppHost passes the Pusher app's key."),
                TicketAlertMinutes = configuration.GetSection("Kitchen:TicketAlertMinutes").Get<int[]>() ?? [5, 8],
            };
        });
        return builder;
    }

    /// <summary>Maps <c>GET /config.json</c>, never cached, so a restarted topology's ports reach the next page load.</summary>
    public static WebApplication MapClientSettings(this WebApplication app)
    {
        app.MapGet("/config.json", (HttpContext context, ClientSettings settings) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            return TypedResults.Json(settings);
        });
        return app;
    }

    /// <summary>The first http and https address of a referenced service (<c>services:{name}:http:0</c>), as the browser reaches it.</summary>
    private static ClientSettings.Addresses AddressesOf(IConfiguration configuration, string service) =>
        new(configuration[$"services:{service}:http:0"], configuration[$"services:{service}:https:0"]);
}
