using System.Diagnostics;
using System.Reflection;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace VSmenu.Testing;

/// <summary>
/// Starts the built <c>vsmenu-pos</c> as its own process (so that a test can kill -9 it), on its own data folder, against
/// the api (or another address) and the hub of a booted topology, and waits until it listens for UIs.
/// </summary>
public static class PosTerminalProcess
{
    private static readonly TimeSpan StartPatience = TimeSpan.FromSeconds(30);

    public static string NewDataPath() => Path.Combine(Path.GetTempPath(), $"vsmenu-pos-{Guid.NewGuid():N}");

    public static string IpcFile(string dataPath) => Path.Combine(dataPath, "ipc.json");

    /// <summary>Starts a terminal; each console line goes to <paramref name="output"/>. Throws, with them, if it exits instead of listening.</summary>
    public static async Task<Process> StartAsync(
        DistributedApplication app, string dataPath, Uri? api, IReadOnlyDictionary<string, string>? settings, Action<string> output, CancellationToken cancellationToken)
    {
        var ipcFile = IpcFile(dataPath);
        if (File.Exists(ipcFile))
        {
            File.Delete(ipcFile);
        }

        var start = new ProcessStartInfo("dotnet", [ExecutablePath()]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["DOTNET_ENVIRONMENT"] = "Development";
        start.Environment["Pos__DataPath"] = dataPath;
        start.Environment["services__api__http__0"] = (api ?? app.GetEndpoint("api", "http")).ToString().TrimEnd('/');
        start.Environment["services__realtime__http__0"] = app.GetEndpoint("realtime", "http").ToString().TrimEnd('/');
        start.Environment["Pusher__Key"] = await app.Services.GetRequiredService<DistributedApplicationModel>().Resources.OfType<ParameterResource>()
            .Single(parameter => parameter.Name == "pusher-app-key").GetValueAsync(cancellationToken) ?? "";
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("vsmenu-pos did not start.");
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        DataReceivedEventHandler keep = (_, line) =>
        {
            if (line.Data is { } text)
            {
                lines.Enqueue(text);
                output(text);
            }
        };
        process.OutputDataReceived += keep;
        process.ErrorDataReceived += keep;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var waited = Stopwatch.StartNew();
        while (!File.Exists(ipcFile))
        {
            if (process.HasExited || waited.Elapsed > StartPatience)
            {
                process.Kill(entireProcessTree: true);
                throw new InvalidOperationException($"The terminal on {dataPath} did not start listening:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
            }

            await Task.Delay(50, cancellationToken);
        }

        return process;
    }

    /// <summary>The built terminal (run it with <c>dotnet</c>), for its <c>call</c> command too.</summary>
    public static string ExecutablePath()
    {
        var configuration = typeof(PosTerminalProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        return Path.GetFullPath(Path.Combine(Projects.VSmenu_AppHost.ProjectPath, "..", "src", "VSmenu.Pos", "bin", configuration, "net10.0", "vsmenu-pos.dll"));
    }
}
