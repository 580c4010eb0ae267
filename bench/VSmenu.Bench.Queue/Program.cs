using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Bench;
using VSmenu.Bench.Queue;
using VSmenu.Queue;

// No-op jobs through the real engine (push, reserve, run, ack) on one Redis: jobs/s at concurrency 1 and 32, Redis
// commands per job, dispatch → start latency of an idle worker, and a bare LPOP loop from the same client as the ratio.
var redisAddress = args.Length > 0 ? args[0] : "127.0.0.1:6379";
var jobsPerRun = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 50_000;
var latencySamples = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_000;

await using var redis = await ConnectionMultiplexer.ConnectAsync($"{redisAddress},allowAdmin=true");
var server = redis.GetServer(redis.GetEndPoints()[0]);
Console.WriteLine($"redis {redisAddress} ({server.Version}); {Environment.ProcessorCount} cores; {jobsPerRun:N0} jobs per run");

foreach (var concurrency in new[] { 1, 32 })
{
    var jobs = concurrency == 1 ? jobsPerRun / 5 : jobsPerRun;
    var prefix = $"bench-{Guid.NewGuid():N}";
    var queue = new JobQueue(redis, Options.Create(new QueueOptions { Prefix = prefix }), TimeProvider.System);
    var counter = new NoopCounter();

    var commandsBefore = await CommandCountsAsync(server);
    var pushing = Stopwatch.StartNew();
    await PushAsync(queue, jobs, stampDispatch: false);
    var pushSeconds = pushing.Elapsed.TotalSeconds;

    using var host = BuildWorker(redis, prefix, concurrency, counter);
    var running = Stopwatch.StartNew();
    var done = counter.WaitForAsync(jobs);
    await host.StartAsync();
    await done;
    var runSeconds = running.Elapsed.TotalSeconds;
    await host.StopAsync();
    var commands = Subtract(await CommandCountsAsync(server), commandsBefore);

    var lpop = await LpopRateAsync(redis, jobs, concurrency);
    var jobsPerSecond = jobs / runSeconds;
    var dataCommands = commands.Where(command => !IsOverhead(command.Key)).Sum(command => command.Value);
    var roundTrips = commands.Where(command => command.Key is "evalsha" or "eval").Sum(command => command.Value);
    Console.WriteLine($"concurrency {concurrency,2}: {jobsPerSecond,8:N0} jobs/s (reserve+run+ack of {jobs:N0}); push {jobs / pushSeconds,8:N0} jobs/s; "
        + $"raw LPOP {lpop,8:N0} ops/s -> ratio {jobsPerSecond / lpop:0.00}");
    Console.WriteLine($"                Redis commands per job: {(double)dataCommands / jobs:0.00} (inside the scripts, push to ack), "
        + $"{(double)roundTrips / jobs:0.00} script calls; by command: {string.Join(", ", commands.Where(command => !IsOverhead(command.Key)).OrderByDescending(command => command.Value).Select(command => $"{command.Key} {(double)command.Value / jobs:0.00}"))}");
}

{
    var prefix = $"bench-{Guid.NewGuid():N}";
    var queue = new JobQueue(redis, Options.Create(new QueueOptions { Prefix = prefix }), TimeProvider.System);
    var counter = new NoopCounter();
    using var host = BuildWorker(redis, prefix, concurrency: 8, counter);
    await host.StartAsync();
    for (var i = 1; i <= latencySamples; i++)
    {
        var ran = counter.WaitForAsync(i);
        await queue.DispatchAsync(new NoopJob(Stopwatch.GetTimestamp()));
        await ran;
        // The worker is idle again before the next one: each sample measures a wake-up, not a backlog.
        await Task.Delay(2);
    }

    await host.StopAsync();
    var sorted = counter.StartLatenciesMs.Order().ToArray();
    Console.WriteLine($"idle worker, dispatch -> start over {sorted.Length:N0} jobs: p50 {Percentiles.Of(sorted, 0.50):0.00} ms, p99 {Percentiles.Of(sorted, 0.99):0.00} ms, max {sorted[^1]:0.00} ms");
}

static IHost BuildWorker(IConnectionMultiplexer redis, string prefix, int concurrency, NoopCounter counter)
{
    var builder = Host.CreateApplicationBuilder();
    builder.Logging.ClearProviders();
    builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Queue:Prefix"] = prefix,
        ["Queue:Worker:Queue"] = Queues.Default,
        ["Queue:Worker:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
    });
    builder.Services.AddSingleton(redis);
    builder.Services.AddSingleton(counter);
    builder.AddQueueWorker();
    builder.Services.AddJobHandler<NoopJob, NoopHandler>();
    return builder.Build();
}

static async Task PushAsync(JobQueue queue, int jobs, bool stampDispatch)
{
    const int InFlight = 256;
    var pending = new List<Task>(InFlight);
    for (var i = 0; i < jobs; i++)
    {
        pending.Add(queue.DispatchAsync(new NoopJob(stampDispatch ? Stopwatch.GetTimestamp() : 0)));
        if (pending.Count == InFlight)
        {
            await Task.WhenAll(pending);
            pending.Clear();
        }
    }

    await Task.WhenAll(pending);
}

static async Task<double> LpopRateAsync(IConnectionMultiplexer redis, int items, int concurrency)
{
    var database = redis.GetDatabase();
    RedisKey key = $"bench-lpop-{Guid.NewGuid():N}";
    for (var i = 0; i < items; i += 1_000)
    {
        await database.ListRightPushAsync(key, Enumerable.Range(i, Math.Min(1_000, items - i)).Select(n => (RedisValue)n).ToArray());
    }

    var popping = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        while (!(await database.ListLeftPopAsync(key)).IsNull)
        {
        }
    })));
    return items / popping.Elapsed.TotalSeconds;
}

static async Task<Dictionary<string, long>> CommandCountsAsync(IServer server)
{
    var counts = new Dictionary<string, long>();
    foreach (var group in await server.InfoAsync("commandstats"))
    {
        foreach (var (name, value) in group)
        {
            // cmdstat_lmpop:calls=123,usec=...
            var calls = value.Split(',')[0].Split('=')[1];
            counts[name["cmdstat_".Length..]] = long.Parse(calls, CultureInfo.InvariantCulture);
        }
    }

    return counts;
}

static Dictionary<string, long> Subtract(Dictionary<string, long> after, Dictionary<string, long> before) =>
    after.ToDictionary(pair => pair.Key, pair => pair.Value - before.GetValueOrDefault(pair.Key)).Where(pair => pair.Value > 0).ToDictionary();

// Script calls (counted with their inner commands instead), and the bench's own reads and the worker's background.
static bool IsOverhead(string command) => command is "evalsha" or "eval" or "info" or "ping" or "subscribe" or "unsubscribe" or "client|setinfo" or "client|setname" or "echo" or "cluster|nodes" or "config|get";

