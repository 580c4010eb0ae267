using System.Diagnostics;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Queue;
using VSmenu.QueueTestWorker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>
/// The queue engine on the topology's real Redis, under a key prefix of its own, with workers running the test jobs
/// in this process or as processes of their own (to kill -9 or stop with SIGTERM).
/// </summary>
internal sealed class QueueTestBed : IAsyncDisposable
{
    private readonly List<IHost> _hosts = [];
    private readonly List<WorkerProcess> _processes = [];
    private int _marks;

    private QueueTestBed(string connectionString, IConnectionMultiplexer redis)
    {
        ConnectionString = connectionString;
        Redis = redis;
        Prefix = $"test-queue-{Guid.NewGuid():N}";
        Queue = new JobQueue(redis, Options.Create(new QueueOptions { Prefix = Prefix }), TimeProvider.System);
        Log = Prefix + ":log";
    }

    public string ConnectionString { get; }

    public IConnectionMultiplexer Redis { get; }

    public string Prefix { get; }

    public JobQueue Queue { get; }

    /// <summary>The list every test job appends its mark to when it completes.</summary>
    public string Log { get; }

    /// <summary>Leases of a second, renewed every 200 ms: a dead worker's jobs are taken back within seconds.</summary>
    public static readonly (string, string)[] ShortLeases =
    [
        ("Queue:Worker:MaxLease", "00:00:01"),
        ("Queue:Worker:Heartbeat", "00:00:00.200"),
    ];

    public static async Task<QueueTestBed> CreateAsync(TopologyFixture topology)
    {
        var connectionString = await topology.App.GetConnectionStringAsync("redis", TestContext.Current.CancellationToken)
            ?? throw new InvalidOperationException("The topology has no redis connection string.");
        return new QueueTestBed(connectionString, await ConnectionMultiplexer.ConnectAsync(connectionString));
    }

    public string NewMark() => $"{Prefix}:job{Interlocked.Increment(ref _marks)}";

    private Dictionary<string, string?> Settings(IEnumerable<(string Name, string Value)> settings)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = ConnectionString,
            ["Queue:Prefix"] = Prefix,
        };
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>Starts a worker in this process with <paramref name="settings"/> (configuration keys such as <c>Queue:Worker:Concurrency</c>).</summary>
    public Task<IHost> StartWorkerAsync(params (string Name, string Value)[] settings) => StartWorkerAsync(configure: null, settings);

    /// <summary>Starts a worker in this process with extra services (<paramref name="configure"/>), such as recurring jobs.</summary>
    public async Task<IHost> StartWorkerAsync(Action<Microsoft.Extensions.DependencyInjection.IServiceCollection>? configure, params (string Name, string Value)[] settings)
    {
        var host = TestWorkerHost.Build([], Settings(settings), configure);
        _hosts.Add(host);
        await host.StartAsync(TestContext.Current.CancellationToken);
        return host;
    }

    /// <summary>Starts a worker process (<c>VSmenu.QueueTestWorker</c>) with <paramref name="settings"/> as environment variables.</summary>
    public WorkerProcess StartWorkerProcess(params (string Name, string Value)[] settings)
    {
        var startInfo = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "VSmenu.QueueTestWorker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in Settings(settings))
        {
            startInfo.Environment[name.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new WorkerProcess(Process.Start(startInfo)!);
        _processes.Add(process);
        return process;
    }

    public async Task<string[]> ListAsync(string key) =>
        (await Redis.GetDatabase().ListRangeAsync(key)).Select(value => value.ToString()).ToArray();

    /// <summary>Waits until the list <paramref name="key"/> has at least <paramref name="count"/> entries, and returns them.</summary>
    public Task<string[]> WaitForListAsync(string key, int count, TimeSpan? patience = null) =>
        Eventually.ReturnsAsync(() => ListAsync(key), entries => entries.Length >= count, $"{count} entries in {key}", patience);

    public async Task<long> ReadyCountAsync(string queue) => await Redis.GetDatabase().ListLengthAsync(Queue.Keys.Ready(queue));

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            process.Dispose();
        }

        foreach (var host in _hosts)
        {
            using var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await host.StopAsync(stopping.Token);
            host.Dispose();
        }

        await Redis.DisposeAsync();
    }
}

/// <summary>A worker process, with its output kept for the test's failure message.</summary>
internal sealed class WorkerProcess : IDisposable
{
    private readonly System.Text.StringBuilder _output = new();

    public WorkerProcess(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, line) => Append(line.Data);
        process.ErrorDataReceived += (_, line) => Append(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private void Append(string? line)
    {
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Sends SIGTERM, as a supervisor or <c>docker stop</c> does.</summary>
    public void Terminate() => Process.Start("kill", ["-TERM", Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();

    public async Task<int> WaitForExitAsync(TimeSpan patience)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(patience);
        try
        {
            await Process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!TestContext.Current.CancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker process did not exit within {patience}. Its output:\n{Output}");
        }

        return Process.ExitCode;
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }
}
