using System.Diagnostics;
using System.Text.Json.Nodes;
using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace VSmenu.Bench.Api;

/// <summary>
/// smtp4dev, the development mail sink, slows down as its mailbox grows (it sorts the whole mailbox on every message), and
/// seeding thousands of orders sends a mail for each: left alone it was still storing them minutes later, at 50-75 % of a
/// core, while the terminal was measured. Emptied while seeding and until it is quiet, it measures nothing of its own.
/// </summary>
internal static class MailSink
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan QuietPatience = TimeSpan.FromMinutes(2);

    /// <summary>Runs <paramref name="work"/> with the mailbox emptied every second, then empties it until no mail arrives.</summary>
    public static Task KeepEmptyWhileAsync(DistributedApplication app, Func<Task> work) =>
        KeepEmptyWhileAsync(app, async () =>
        {
            await work();
            return true;
        });

    /// <inheritdoc cref="KeepEmptyWhileAsync(DistributedApplication, Func{Task})"/>
    public static async Task<T> KeepEmptyWhileAsync<T>(DistributedApplication app, Func<Task<T>> work)
    {
        using var sink = app.CreateHttpClient("smtp4dev", "http");
        using var stop = new CancellationTokenSource();
        var emptying = EmptyUntilAsync(sink, stop.Token);
        T result;
        try
        {
            result = await work();
        }
        finally
        {
            await stop.CancelAsync();
            await emptying;
        }

        var waited = Stopwatch.StartNew();
        while (await EmptyAsync(sink, CancellationToken.None) && waited.Elapsed < QuietPatience)
        {
            await Task.Delay(Interval);
        }

        return result;
    }

    private static async Task EmptyUntilAsync(HttpClient sink, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await EmptyAsync(sink, stop);
                await Task.Delay(Interval, stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Deletes every message and session log; answers whether there was any message.</summary>
    private static async Task<bool> EmptyAsync(HttpClient sink, CancellationToken cancellationToken)
    {
        var held = JsonNode.Parse(await sink.GetStringAsync("/api/messages?pageSize=1", cancellationToken))!["results"]!.AsArray().Count > 0;
        (await sink.DeleteAsync("/api/messages/*", cancellationToken)).EnsureSuccessStatusCode();
        (await sink.DeleteAsync("/api/sessions/*", cancellationToken)).EnsureSuccessStatusCode();
        return held;
    }
}
