namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// The ASP.NET Core development certificate, which Kestrel uses for the realtime hub's <c>wss://</c> endpoint (the
/// spec's clients connect with <c>forceTLS: true</c>). Created before the services start when missing, as
/// <c>dotnet dev-certs https</c> does; trusting it (<c>--trust</c>) is left to the developer, and clients that must
/// trust it are given its PEM export.
/// </summary>
public static class DevelopmentCertificate
{
    public static IDistributedApplicationBuilder EnsureDevelopmentCertificate(this IDistributedApplicationBuilder builder)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder;
        }

        builder.Eventing.Subscribe<BeforeStartEvent>(async (_, cancellationToken) =>
        {
            // The SDK that runs the AppHost names itself; PATH may not (or may name another one).
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";
            var created = await ExternalCommand.RunAsync(dotnet, ["dev-certs", "https"], TimeSpan.FromMinutes(1), cancellationToken);
            if (created is not { ExitCode: 0 })
            {
                Console.Error.WriteLine(
                    $"The HTTPS development certificate could not be created ({created?.Error.Trim() ?? "dotnet not found"}); the realtime hub's wss endpoint will not start.");
            }
        });
        return builder;
    }
}
