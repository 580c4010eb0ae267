using VSmenu.Broadcasting;

namespace VSmenu.Api.Broadcasting;

public static class BroadcastingExtensions
{
    /// <summary>Adds the Pusher app the api signs channel authorizations for, and the client of the realtime hub's HTTP API.</summary>
    public static WebApplicationBuilder AddBroadcasting(this WebApplicationBuilder builder)
    {
        builder.AddPusherApp();
        builder.Services.AddHttpClient<RealtimeHubClient>(http => http.BaseAddress = new Uri(RealtimeHubClient.ServiceAddress));
        return builder;
    }
}
