using Microsoft.Extensions.DependencyInjection.Extensions;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

public static class PusherHubExtensions
{
    /// <summary>The runtime's switch that completes socket operations on its epoll threads instead of the thread pool.</summary>
    private const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Adds the Pusher-protocol hub: its options, channel bookkeeping, admission, Redis delivery and idle-connection
    /// sweeps, with Kestrel recording when each connection last received bytes (RFC ping frames count as activity).
    /// </summary>
    public static WebApplicationBuilder AddPusherHub(this WebApplicationBuilder builder)
    {
        // A broadcast is thousands of small writes to as many sockets. With inline completions the runtime finishes
        // socket operations on its epoll thread instead of queuing each to the thread pool: bench/realtime.sh's fan-out
        // ceiling went from ~240k to ~290k deliveries/s (Kestrel's own inline scheduling on top of it lowered it, so it
        // stays off). That is safe only because the hub never blocks a thread. The runtime reads the switch from the
        // environment at its first socket, so it is set here, before any, rather than left to whoever launches the hub.
        if (builder.Configuration.GetValue($"{HubOptions.SectionName}:InlineSocketCompletions", true))
        {
            Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
        }

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
