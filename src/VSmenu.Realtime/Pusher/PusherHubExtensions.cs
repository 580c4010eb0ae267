using Microsoft.Extensions.DependencyInjection.Extensions;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

public static class PusherHubExtensions
{
    /// <summary>
    /// Adds the Pusher-protocol hub: its options, channel bookkeeping, admission, Redis delivery and idle-connection
    /// sweeps, with Kestrel recording when each connection last received bytes (RFC ping frames count as activity).
    /// </summary>
    public static WebApplicationBuilder AddPusherHub(this WebApplicationBuilder builder)
    {
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => TransportActivity.Observe(listen, TimeProvider.System)));
        builder.AddPusherApp();
        builder.Services.AddOptions<HubOptions>().BindConfiguration(HubOptions.SectionName);
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<LocalChannels>();
        builder.Services.AddSingleton<ChannelDirectory>();
        builder.Services.AddSingleton<HubMetrics>();
        builder.Services.AddSingleton<PusherHub>();
        builder.Services.AddSingleton<ConnectionAdmission>();
        builder.Services.AddHostedService<ReplicaLease>();
        builder.Services.AddHostedService<RedisBroadcasts>();
        builder.Services.AddHostedService<IdleConnections>();
        return builder;
    }

    /// <summary>
    /// Maps <c>/app/{key}</c>, where pusher-js connects. On shutdown every client is told to reconnect (4200), which
    /// lands it on another replica.
    /// </summary>
    public static WebApplication MapPusherHub(this WebApplication app)
    {
        app.UseWebSockets();
        app.Map("/app/{key}", async (HttpContext context, string key, PusherHub hub) =>
        {
            if (!context.WebSockets.IsWebSocketRequest)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsync("Connect with a WebSocket (the Pusher protocol).", context.RequestAborted);
                return;
            }

            await hub.RunAsync(context, key);
        });
        app.Lifetime.ApplicationStopping.Register(() =>
        {
            var hub = app.Services.GetRequiredService<PusherHub>();
            foreach (var connection in hub.Connections)
            {
                connection.Close(PusherErrors.Reconnect, "Server is restarting; reconnect");
            }
        });
        return app;
    }
}
