using System.ComponentModel;
using System.Diagnostics;

namespace VSmenu.AppHost.Infrastructure;

/// <summary>What a finished command printed and how it exited.</summary>
public sealed record CommandResult(int ExitCode, string Output, string Error);

/// <summary>
/// Runs a machine program to completion (initdb, chown, the container runtime's CLI) and returns what it printed;
/// a program that does not finish in time is killed.
/// </summary>
public static class ExternalCommand
{
    /// <returns><see langword="null"/> when the program is not on PATH.</returns>
    public static async Task<CommandResult?> RunAsync(
        string command, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var startInfo = new ProcessStartInfo(command, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        Process process;
        try
        {
            process = Process.Start(startInfo)!;
        }
        catch (Win32Exception)
        {
            return null;
        }

        using (process)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var error = process.StandardError.ReadToEndAsync(deadline.Token);
            try
            {
                await process.WaitForExitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{command} {string.Join(' ', arguments)}' did not finish within {timeout.TotalSeconds:0} s.");
            }

            return new(process.ExitCode, await output, await error);
        }
    }
}
