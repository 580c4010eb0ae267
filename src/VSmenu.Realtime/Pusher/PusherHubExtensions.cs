using Microsoft.Extensions.DependencyInjection.Extensions;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

public static class PusherHubExtensions
{
    /// <summary>
    /// Adds the Pusher-protocol hub: the connection handler and its options, channel subscriptions and presence, client
    /// events, admission, the Redis backplane, the replica lease, idle-connection sweeps and the drain at shutdown, with
    /// Kestrel recording when each connection last received bytes (RFC ping frames count as activity).
    /// </summary>
    public static WebApplicationBuilder AddPusherHub(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => TransportActivity.Observe(listen, TimeProvider.System)));
        builder.AddPusherApp();
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddSingleton<ClientAuthorization>();
        builder.Services.AddSingleton<HubConnections>();
        builder.Services.AddSingleton<ConnectionAdmission>();
        builder.Services.AddSingleton<LocalChannels>();
        builder.Services.AddSingleton<ChannelDirectory>();
        builder.Services.AddSingleton<ChannelSubscriptions>();
        builder.Services.AddSingleton<ClientEvents>();
        builder.Services.AddSingleton<PusherConnectionHandler>();
        builder.Services.AddSingleton<RedisBackplane>();
        builder.Services.AddHostedService<ReplicaLease>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RedisBackplane>());
        builder.Services.AddHostedService<IdleConnections>();
        builder.Services.AddHostedService<HubDrain>();
        return builder;
    }

    /// <summary>Maps <c>/app/{key}</c>, where pusher-js connects (after <c>UseWebSockets</c>).</summary>
    public static WebApplication MapPusherHub(this WebApplication app)
    {
        app.Map("/app/{key}", async (HttpContext context, string key, PusherConnectionHandler handler) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("Connect with a WebSocket (the Pusher protocol).", context.RequestAborted);
                return;
            }

            await handler.RunAsync(context, key);
        });
        return app;
    }
}
