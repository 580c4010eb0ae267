using Microsoft.Extensions.DependencyInjection.Extensions;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

public static class PusherHubExtensions
{
    /// <summary>
    /// Adds the Pusher-protocol hub: its options, channel bookkeeping, admission, Redis delivery, idle-connection sweeps
    /// and the drain at shutdown, with Kestrel recording when each connection last received bytes (RFC ping frames count
    /// as activity).
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
        builder.Services.AddHostedService<HubDrain>();
        return builder;
    }

    /// <summary>Maps <c>/app/{key}</c>, where pusher-js connects (after <c>UseWebSockets</c>).</summary>
    public static WebApplication MapPusherHub(this WebApplication app)
    {
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
        return app;
    }
}
