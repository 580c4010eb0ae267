using System.Diagnostics;

namespace VSmenu.IntegrationTests;

/// <summary>
/// Runs the Node clients in <c>tests/compat</c> (stock pusher-js, laravel-echo, vscode-jsonrpc) and other commands the
/// way a user's machine would, with the packages installed from the committed lock file the first time.
/// </summary>
internal static class NodeScript
{
    public static readonly string SuiteDirectory = Path.Combine(RepositoryFiles.Root, "tests", "compat");
    private static readonly SemaphoreSlim Install = new(1, 1);
    private static readonly string[] Packages = ["laravel-echo", "pusher-js", "vscode-jsonrpc"];

    public static async Task EnsureInstalledAsync()
    {
        await Install.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (Packages.Any(package => !Directory.Exists(Path.Combine(SuiteDirectory, "node_modules", package))))
            {
                var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"]);
                Assert.True(exitCode == 0, $"npm ci failed:{Environment.NewLine}{output}");
            }
        }
        finally
        {
            Install.Release();
        }
    }

    /// <summary>Runs <paramref name="command"/> in the suite's folder to its end (at most 3 minutes); its stdout then its stderr.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string command, string[] arguments, IDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(command, arguments)
        {
            WorkingDirectory = SuiteDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{command} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            // A script whose assertion threw with a socket still open never exits: what it printed says which one.
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{command} {string.Join(' ', arguments)} did not exit within 3 minutes. Its output:\n{await stdout}{await stderr}");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
