using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VSmenu.Broadcasting;

public static class PusherAppExtensions
{
    /// <summary>Adds the <see cref="PusherAppOptions"/> the AppHost passes in; a service without them does not start.</summary>
    public static TBuilder AddPusherApp<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<PusherAppOptions>()
            .BindConfiguration(PusherAppOptions.SectionName)
            .Validate(app => app.AppId.Length > 0 && app.Key.Length > 0 && app.Secret.Length >= 16,
                "Pusher:AppId, Pusher:Key and Pusher:Secret (16 characters or more) must be set; the AppHost sets them.")
            .ValidateOnStart();
        return builder;
    }
}
