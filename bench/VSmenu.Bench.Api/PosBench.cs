using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// The POS terminal as its UI meets it, measured from npm vscode-jsonrpc (<c>bench/pos-ipc</c>): <c>orders:getAll</c> on
/// 1,000 local orders and <c>orders:create</c> (p50/p99 round trips), a server change until <c>orders:changed</c> at the
/// terminal (p50/p99), and the cold first sync of a restaurant with <c>orders</c> orders. Two terminals run as processes
/// against the whole topology. Targets: getAll(1,000) p99 &lt; 20 ms; create p99 &lt; 5 ms; change → terminal p99 &lt; 150 ms.
/// </summary>
internal static class PosBench
{
    private const int LocalOrders = 1_000;

    public static async Task RunAsync(int orders)
    {
        await using var app = await VsmenuTopology.StartAsync(resourceLogs: null, BenchSettings.EdgeAtLoad, CancellationToken.None);
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb") ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
        var till = await BenchRestaurant.SignUpAsync(app, clients: 2, products: 3);
        var large = await BenchRestaurant.SignUpAsync(app, clients: 2, products: 3);
        await MailSink.KeepEmptyWhileAsync(app, async () =>
        {
            await SeedAsync(till, LocalOrders);
            await SeedAsync(large, orders);
            await PlatformWork.WaitUntilDoneAsync(redis, database, TimeSpan.FromMinutes(15));
        });
        Console.WriteLine($"{LocalOrders} orders at the till's restaurant, {orders} at the other (cold sync); {Environment.ProcessorCount} cores shared by the bench, two terminals and every server");

        var tillData = PosTerminalProcess.NewDataPath();
        var coldData = PosTerminalProcess.NewDataPath();
        var tillTerminal = await PosTerminalProcess.StartAsync(app, tillData, api: null, settings: null, output: _ => { }, CancellationToken.None);
        using var coldTerminal = await PosTerminalProcess.StartAsync(app, coldData, api: null, settings: null, output: _ => { }, CancellationToken.None);
        var environment = new Dictionary<string, string>
        {
            ["TILL_IPC"] = PosTerminalProcess.IpcFile(tillData),
            ["TILL_EMAIL"] = till.Email,
            ["COLD_IPC"] = PosTerminalProcess.IpcFile(coldData),
            ["COLD_EMAIL"] = large.Email,
            ["COLD_ORDERS"] = orders.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["PASSWORD"] = BenchRestaurant.Password,
            ["API_URL"] = app.GetEndpoint("api", "http").ToString().TrimEnd('/'),
        };
        try
        {
            environment["TILL_PID"] = tillTerminal.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RunClientAsync("online", environment);
            tillTerminal.Kill(entireProcessTree: true);
            await tillTerminal.WaitForExitAsync();
            tillTerminal.Dispose();
            tillTerminal = await PosTerminalProcess.StartAsync(app, tillData, new Uri("http://127.0.0.1:9"), settings: null, output: _ => { }, CancellationToken.None);
            environment["TILL_PID"] = tillTerminal.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RunClientAsync("offline", environment);
        }
        finally
        {
            tillTerminal.Kill(entireProcessTree: true);
            tillTerminal.Dispose();
            coldTerminal.Kill(entireProcessTree: true);
            Directory.Delete(tillData, recursive: true);
            Directory.Delete(coldData, recursive: true);
        }
    }

    /// <summary>Runs <c>bench/pos-ipc/ipc-bench.mjs</c> in one of its modes; it prints its own figures.</summary>
    private static async Task RunClientAsync(string mode, IReadOnlyDictionary<string, string> environment)
    {
        var client = new ProcessStartInfo("node", ["ipc-bench.mjs", mode])
        {
            WorkingDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "pos-ipc")),
        };
        foreach (var (name, value) in environment)
        {
            client.Environment[name] = value;
        }

        using var node = Process.Start(client) ?? throw new InvalidOperationException("node did not start.");
        await node.WaitForExitAsync();
        if (node.ExitCode != 0)
        {
            throw new InvalidOperationException($"ipc-bench.mjs {mode} exited with {node.ExitCode}.");
        }
    }

    private static async Task SeedAsync(BenchRestaurant restaurant, int orders)
    {
        var terminal = Guid.NewGuid();
        for (var first = 1; first <= orders; first += SyncBench.PushSize)
        {
            await SyncBench.PushAsync(restaurant, terminal, first, Math.Min(SyncBench.PushSize, orders - first + 1));
        }
    }
}
