using System.Diagnostics;
using System.Globalization;
using Npgsql;
using StackExchange.Redis;

namespace VSmenu.Testing;

/// <summary>
/// Freezes a backing store the way a stalled disk, a frozen VM or a network partition does: its processes stop
/// (SIGSTOP) without closing a socket, so clients connect and send and simply get no answer, until it is thawed (SIGCONT).
/// </summary>
public sealed class Freezer : IAsyncDisposable
{
    private readonly IReadOnlyList<int> _processes;
    private bool _thawed;

    private Freezer(IReadOnlyList<int> processes) => _processes = processes;

    /// <summary>The process ids frozen: a server first, then its children.</summary>
    public IReadOnlyList<int> Processes => _processes;

    /// <summary>
    /// Freezes the PostgreSQL server behind <paramref name="connectionString"/>: the postmaster first (so it forks no new
    /// backend), then every backend and background process it has.
    /// </summary>
    public static async Task<Freezer> FreezePostgresAsync(string connectionString, CancellationToken cancellationToken)
    {
        string dataDirectory;
        await using (var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT setting FROM pg_settings WHERE name = 'data_directory'", connection);
            dataDirectory = (string)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var postmaster = int.Parse((await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), cancellationToken))[0], CultureInfo.InvariantCulture);
        await SignalAsync("STOP", [postmaster]);
        var freezer = new Freezer([postmaster, .. ChildrenOf(postmaster)]);
        await SignalAsync("STOP", freezer._processes.Skip(1).ToList());
        return freezer;
    }

    /// <summary>Freezes the Redis server behind <paramref name="connectionString"/>.</summary>
    public static async Task<Freezer> FreezeRedisAsync(string connectionString)
    {
        int pid;
        var options = ConfigurationOptions.Parse(connectionString);
        options.AllowAdmin = true;
        await using (var redis = await ConnectionMultiplexer.ConnectAsync(options))
        {
            var info = await redis.GetServers()[0].InfoAsync("server");
            pid = int.Parse(info.SelectMany(group => group).First(pair => pair.Key == "process_id").Value, CultureInfo.InvariantCulture);
        }

        await SignalAsync("STOP", [pid]);
        return new Freezer([pid]);
    }

    /// <summary>
    /// Freezes our own services' replicas, each with every process under it (a replica runs as <c>dotnet run</c>, the
    /// service as its child): an api or a hub that hangs instead of refusing.
    /// </summary>
    public static async Task<Freezer> FreezeProcessTreesAsync(IEnumerable<int> roots)
    {
        var processes = roots.SelectMany(root => (IEnumerable<int>)[root, .. DescendantsOf(root)]).ToList();
        await SignalAsync("STOP", processes);
        return new Freezer(processes);
    }

    /// <summary>Lets the processes run again, children first.</summary>
    public async Task ThawAsync()
    {
        if (!_thawed)
        {
            _thawed = true;
            await SignalAsync("CONT", [.. _processes.Skip(1), _processes[0]]);
        }
    }

    public async ValueTask DisposeAsync() => await ThawAsync();

    private static List<int> DescendantsOf(int parent) => [.. ChildrenOf(parent).SelectMany(child => (IEnumerable<int>)[child, .. DescendantsOf(child)])];

    private static List<int> ChildrenOf(int parent)
    {
        var children = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var ppid = File.ReadLines(Path.Combine(directory, "status")).FirstOrDefault(line => line.StartsWith("PPid:", StringComparison.Ordinal));
                if (ppid is not null && int.Parse(ppid["PPid:".Length..].Trim(), CultureInfo.InvariantCulture) == parent)
                {
                    children.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while the list was read.
            }
        }

        return children;
    }

    private static async Task SignalAsync(string signal, IReadOnlyList<int> processes)
    {
        if (processes.Count == 0)
        {
            return;
        }

        using var kill = Process.Start(new ProcessStartInfo("kill", [$"-{signal}", .. processes.Select(pid => pid.ToString(CultureInfo.InvariantCulture))])
        {
            RedirectStandardError = true,
        }) ?? throw new InvalidOperationException("kill did not start.");
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"kill -{signal} {string.Join(' ', processes)} failed: {await kill.StandardError.ReadToEndAsync()}");
        }
    }
}
