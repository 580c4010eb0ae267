using System.Diagnostics;
using System.Reflection;

namespace VSmenu.IntegrationTests;

/// <summary>Runs one of our built projects as its own process, the way a developer, azd or the AppHost runs it.</summary>
internal static class DotnetProjectProcess
{
    public static string AppHost => Projects.VSmenu_AppHost.ProjectPath;

    public static string MigrationService =>
        Path.GetFullPath(Path.Combine(Projects.VSmenu_AppHost.ProjectPath, "..", "src", "VSmenu.MigrationService"));

    public static string Worker =>
        Path.GetFullPath(Path.Combine(Projects.VSmenu_AppHost.ProjectPath, "..", "src", "VSmenu.Worker"));

    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    public sealed record Result(int ExitCode, string StandardOutput, string StandardError);

    public static async Task<Result> RunAsync(
        string project, string[] arguments, IReadOnlyDictionary<string, string>? environment, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(project, arguments, environment))!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Path.GetFileName(project)} did not exit within {Timeout}.");
        }

        return new(process.ExitCode, await output, await error);
    }

    /// <summary>Starts the project and reads its output until a line <paramref name="until"/> accepts (true), or it exits (false); then stops it.</summary>
    public static async Task<bool> RunUntilAsync(
        string project, IReadOnlyDictionary<string, string> environment, Func<string, bool> until, CancellationToken cancellationToken)
    {
        using var process = Process.Start(StartInfo(project, [], environment))!;
        var draining = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (until(line))
                {
                    return true;
                }
            }

            return false;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await draining;
        }
    }

    private static ProcessStartInfo StartInfo(string project, string[] arguments, IReadOnlyDictionary<string, string>? environment)
    {
        var configuration = typeof(DotnetProjectProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var startInfo = new ProcessStartInfo(DotnetPath(),
            ["run", "--project", project, "--no-build", "--configuration", configuration, "--no-launch-profile", "--", .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        return startInfo;
    }

    private static string DotnetPath() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hostPath
            ? hostPath
            : (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
                .Select(directory => Path.Combine(directory, "dotnet"))
                .First(File.Exists);
}
