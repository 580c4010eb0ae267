using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Where the local Redis and PostgreSQL keep their files. <c>dotnet run</c> keeps them between runs in the
/// git-ignored <c>VSmenu.AppHost/.data</c>; with <c>VSmenu:EphemeralData=true</c> (the tests) they live in a fresh
/// temporary folder that is deleted when the application stops.
/// </summary>
public sealed record DataDirectory(string Root, bool IsEphemeral)
{
    public const string EphemeralSettingName = "VSmenu:EphemeralData";

    public string PathFor(string resourceName) => Path.Combine(Root, resourceName);

    /// <summary>Creates the folder of one resource, reachable by the user the server runs as.</summary>
    public string CreateFor(string resourceName)
    {
        var path = PathFor(resourceName);
        Directory.CreateDirectory(path);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Root, File.GetUnixFileMode(Root) | UnixFileMode.OtherExecute | UnixFileMode.GroupExecute);
        }
        return path;
    }

    public static DataDirectory Create(IDistributedApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(EphemeralSettingName))
        {
            return new(Path.Combine(builder.AppHostDirectory, ".data"), IsEphemeral: false);
        }

        var ephemeral = new DataDirectory(Path.Combine(Path.GetTempPath(), $"vsmenu-{Guid.NewGuid():N}"), IsEphemeral: true);
        builder.Eventing.Subscribe<BeforeStartEvent>((@event, _) =>
        {
            // ApplicationStopped fires after the orchestrator has stopped the servers that use the folder.
            @event.Services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopped.Register(() =>
            {
                if (Directory.Exists(ephemeral.Root))
                {
                    Directory.Delete(ephemeral.Root, recursive: true);
                }
            });
            return Task.CompletedTask;
        });
        return ephemeral;
    }
}
