using System.Diagnostics;
using System.Text.RegularExpressions;
using VSmenu.Testing;

namespace VSmenu.IntegrationTests;

/// <summary>A second topology, started and stopped inside the test, so that what it leaves behind can be seen.</summary>
public sealed partial class TeardownTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    // Servers retitle themselves ("redis-server 127.0.0.1:6379", "postgres: checkpointer"), hence prefixes.
    private static readonly string[] TopologyProcessNames = ["postgres", "redis-server", "dcp", "VSmenu."];

    [Fact]
    public async Task Stopping_the_topology_leaves_no_process_or_data_folder_behind()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var foldersBefore = EphemeralDataFolders();
        var processesBefore = TopologyProcesses().Select(process => process.Id).ToHashSet();

        var app = await VsmenuTopology.StartAsync(resourceLogs: null, cancellationToken);
        var folders = EphemeralDataFolders().Except(foldersBefore).ToList();
        // Servers that were already running (the shared topology's) fork a backend per connection: not this topology's.
        var processes = TopologyProcesses()
            .Where(process => !processesBefore.Contains(process.Id) && !processesBefore.Contains(ParentOf(process)))
            .ToList();
        await app.DisposeAsync();

        Assert.Single(folders);
        var names = processes.Select(process => process.ProcessName).ToList();
        Assert.Contains(names, name => name.StartsWith("postgres", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("redis-server", StringComparison.Ordinal));
        Assert.Contains(names, name => name.StartsWith("VSmenu.", StringComparison.Ordinal));
        Assert.False(Directory.Exists(folders[0]), $"{folders[0]} was left behind");
        var survivors = new List<string>();
        foreach (var process in processes)
        {
            using var exited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            exited.CancelAfter(ExitTimeout);
            try
            {
                await process.WaitForExitAsync(exited.Token);
            }
            catch (OperationCanceledException)
            {
                survivors.Add($"{process.ProcessName} ({process.Id})");
            }
        }
        Assert.Empty(survivors);
    }

    private static HashSet<string> EphemeralDataFolders() =>
        Directory.GetDirectories(Path.GetTempPath(), "vsmenu-*").Where(path => EphemeralFolderName().IsMatch(Path.GetFileName(path))).ToHashSet();

    private static List<Process> TopologyProcesses() =>
        Process.GetProcesses()
            .Where(process => TopologyProcessNames.Any(name => process.ProcessName.StartsWith(name, StringComparison.Ordinal)))
            .ToList();

    /// <summary>The parent's pid from <c>/proc/{pid}/stat</c> ("pid (name) state ppid ..."), or 0 once the process is gone.</summary>
    private static int ParentOf(Process process)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{process.Id}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [GeneratedRegex("^vsmenu-[0-9a-f]{32}$")]
    private static partial Regex EphemeralFolderName();
}
