using System.Diagnostics;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using VSmenu.Queue;

namespace VSmenu.Testing;

/// <summary>
/// What the platform still has to do after the last request: outbox rows not yet relayed, and jobs ready, delayed or
/// running on the queue. Tests and benchmarks wait on it instead of sleeping.
/// </summary>
public static class PlatformWork
{
    /// <summary>The queues a worker of the default topology serves, highest priority first.</summary>
    public static IReadOnlyList<string> AllQueues => Queues.ByPriority;

    public static async Task<long> PendingAsync(IConnectionMultiplexer redis, NpgsqlDataSource database) =>
        (await PendingByPlaceAsync(redis, database)).Values.Sum();

    /// <summary>What is pending, by where it waits: each ready queue, delayed, reserved, and the two outbox tables.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> PendingByPlaceAsync(IConnectionMultiplexer redis, NpgsqlDataSource database)
    {
        var queue = new JobQueue(redis, Options.Create(new QueueOptions()), TimeProvider.System);
        var sizes = await queue.SizesAsync(AllQueues);
        var pending = sizes.Ready.ToDictionary(ready => $"ready:{ready.Key}", ready => ready.Value);
        pending["delayed"] = sizes.Delayed;
        pending["reserved"] = sizes.Reserved;
        await using var command = database.CreateCommand(
            "SELECT (SELECT count(*) FROM outbox_jobs WHERE dispatched_at IS NULL), (SELECT count(*) FROM outbox_messages WHERE published_at IS NULL)");
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        pending["outbox_jobs"] = reader.GetInt64(0);
        pending["outbox_messages"] = reader.GetInt64(1);
        return pending;
    }

    /// <summary>
    /// What is pending, or -1 while a store does not answer: right after a freeze the observer's own connection to Redis
    /// may still be reconnecting, which says nothing about the platform's work.
    /// </summary>
    private static async Task<long> PendingOrUnknownAsync(IConnectionMultiplexer redis, NpgsqlDataSource database)
    {
        try
        {
            return await PendingAsync(redis, database);
        }
        catch (Exception exception) when (exception is RedisException or NpgsqlException or TimeoutException)
        {
            return -1;
        }
    }

    /// <summary>Waits until nothing is pending, on connections of its own to the topology's stores; returns how long that took.</summary>
    public static async Task<TimeSpan> WaitUntilDoneAsync(DistributedApplication app, TimeSpan patience)
    {
        await using var database = NpgsqlDataSource.Create(await app.GetConnectionStringAsync("vsmenudb") ?? "");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(await app.GetConnectionStringAsync("redis") ?? "");
        return await WaitUntilDoneAsync(redis, database, patience);
    }

    /// <summary>Waits until nothing is pending (seen twice in a row, 50 ms apart); returns how long that took.</summary>
    public static async Task<TimeSpan> WaitUntilDoneAsync(IConnectionMultiplexer redis, NpgsqlDataSource database, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        var idleSeen = 0;
        TimeSpan? doneAt = null;
        while (idleSeen < 2)
        {
            if (await PendingOrUnknownAsync(redis, database) == 0)
            {
                doneAt ??= waited.Elapsed;
                idleSeen++;
            }
            else
            {
                doneAt = null;
                idleSeen = 0;
            }

            if (waited.Elapsed > patience)
            {
                throw new TimeoutException($"The platform still had work pending after {patience.TotalSeconds:0} s.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }

        return doneAt!.Value;
    }
}
