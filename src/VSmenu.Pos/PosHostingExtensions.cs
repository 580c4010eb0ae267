using VSmenu.Pos.Auth;
using VSmenu.Pos.Ipc;
using VSmenu.Pos.Live;
using VSmenu.Pos.Store;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos;

/// <summary>The terminal's parts, each named for what it adds to the host.</summary>
public static class PosHostingExtensions
{
    /// <summary>The SQLite store in <c>Pos:DataPath</c>: the mirror, the local orders, the mutation queue, the tokens.</summary>
    public static IHostApplicationBuilder AddPosStore(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<PosOptions>(builder.Configuration.GetSection(PosOptions.Section));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PosDatabase>();
        builder.Services.AddSingleton<TerminalSettings>();
        builder.Services.AddSingleton<OrderStore>();
        builder.Services.AddSingleton<MutationQueue>();
        builder.Services.AddSingleton<Mirror>();
        builder.Services.AddSingleton<Credentials>();
        builder.Services.AddSingleton<PosEvents>();
        builder.Services.AddHostedService<WalCheckpoints>();
        return builder;
    }

    /// <summary>
    /// The api through service discovery (<c>services:api</c>) and the service defaults' resilience, with shorter timeouts:
    /// a till must call itself offline within seconds when the api hangs (the defaults wait 10 s per try and 30 s in all),
    /// and its own loop retries every few seconds anyway. A retry does not wait out <c>Retry-After</c>: the api's 503 for a
    /// hung database says 5 s, two such waits ran past the 10 s budget, and the till reported a timeout ("offline") instead
    /// of the api's answer.
    /// </summary>
    public static IHostApplicationBuilder AddPosApi(this IHostApplicationBuilder builder)
    {
#pragma warning disable EXTEXP0001 // Experimental, and the one way to replace ConfigureHttpClientDefaults' handler for one client.
        builder.Services.AddHttpClient<PosApi>(http => http.BaseAddress = PosApi.Address)
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(resilience =>
            {
                resilience.AttemptTimeout.Timeout = TimeSpan.FromSeconds(4);
                resilience.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(10);
                resilience.Retry.MaxRetryAttempts = 2;
                resilience.Retry.Delay = TimeSpan.FromMilliseconds(250);
                resilience.Retry.ShouldRetryAfterHeader = false;
            });
#pragma warning restore EXTEXP0001
        return builder;
    }

    public static IHostApplicationBuilder AddPosSync(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SyncEngine>();
        builder.Services.AddHostedService(services => services.GetRequiredService<SyncEngine>());
        return builder;
    }

    /// <summary>The hub's address (<c>services:realtime</c>) and the Pusher app's public key (<c>Pusher:Key</c>).</summary>
    public static IHostApplicationBuilder AddPosLiveUpdates(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<LiveUpdateOptions>(live =>
        {
            var hub = builder.Configuration["services:realtime:http:0"] ?? builder.Configuration["services:realtime:https:0"];
            live.HubAddress = hub is null ? null : new Uri(hub);
            live.Key = builder.Configuration["Pusher:Key"];
        });
        builder.Services.AddSingleton<LiveUpdates>();
        builder.Services.AddHostedService(services => services.GetRequiredService<LiveUpdates>());
        return builder;
    }

    public static IHostApplicationBuilder AddPosIpc(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<PosSession>();
        builder.Services.AddSingleton<PosChannels>();
        builder.Services.AddSingleton<IpcMetrics>();
        builder.Services.AddHostedService<IpcServer>();
        return builder;
    }

    /// <summary>With <c>Pos:Demo</c> set (the AppHost's demo terminal), a restaurant with a small menu to sign in to.</summary>
    public static IHostApplicationBuilder AddDemoRestaurant(this IHostApplicationBuilder builder)
    {
        if (builder.Configuration.GetSection($"{PosOptions.Section}:Demo:Email").Value is { Length: > 0 })
        {
            builder.Services.AddHostedService<DemoRestaurant>();
        }

        return builder;
    }
}
