using System.ComponentModel;
using System.Diagnostics;

namespace VSmenu.AppHost.Infrastructure;

/// <summary>
/// Asks the container runtime's CLI (<c>docker info</c>, or the runtime named by ASPIRE_CONTAINER_RUNTIME) whether
/// an engine answers. A client without an engine, as on our CI machines, answers "no" within the timeout.
/// </summary>
public static class ContainerRuntimeProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static ContainerRuntimeStatus Probe(string? runtime)
    {
        runtime = string.IsNullOrWhiteSpace(runtime) ? "docker" : runtime;
        var startInfo = new ProcessStartInfo(runtime, ["info", "--format", "{{.ServerVersion}}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        try
        {
            using var process = Process.Start(startInfo)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(Timeout))
            {
                process.Kill(entireProcessTree: true);
                return new(false, $"'{runtime} info' did not answer within {Timeout.TotalSeconds:0} s");
            }

            return process.ExitCode == 0
                ? new(true, $"{runtime} {output.Result.Trim()}")
                : new(false, $"'{runtime} info' failed: {FirstLine(error.Result)}");
        }
        catch (Win32Exception)
        {
            return new(false, $"no '{runtime}' CLI on PATH");
        }
    }

    private static string FirstLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no output";
}
