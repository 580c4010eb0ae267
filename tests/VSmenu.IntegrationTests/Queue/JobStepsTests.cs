using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using StackExchange.Redis;
using VSmenu.Queue.Worker;

namespace VSmenu.IntegrationTests.Queue;

/// <summary>A job's side effect (a mail, an SMS) is done once across attempts, and never by two attempts at the same time.</summary>
public sealed class JobStepsTests(TopologyFixture topology)
{
    [Fact]
    public async Task An_attempt_waits_while_another_does_the_step_and_then_skips_it()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var steps = StepsOf(bed, TimeSpan.FromSeconds(30));
        var job = Guid.NewGuid().ToString();
        var effects = 0;
        var holding = new TaskCompletionSource();
        var release = new TaskCompletionSource();

        var first = steps.RunOnceAsync(job, "mail", async () =>
        {
            Interlocked.Increment(ref effects);
            holding.SetResult();
            await release.Task;
        }, TestContext.Current.CancellationToken);
        await holding.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // The second attempt gives up its wait (its job timed out) without having done the step the first one is doing.
        using var secondGivesUp = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        secondGivesUp.CancelAfter(TimeSpan.FromSeconds(1));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => steps.RunOnceAsync(job, "mail", Effect, secondGivesUp.Token));
        var third = steps.RunOnceAsync(job, "mail", Effect, TestContext.Current.CancellationToken);
        release.SetResult();

        Assert.True(await first);
        Assert.False(await third);
        Assert.Equal(1, effects);

        Task Effect()
        {
            Interlocked.Increment(ref effects);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task The_claim_of_an_attempt_killed_mid_step_lapses_and_the_next_attempt_does_the_step()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var claim = TimeSpan.FromMilliseconds(500);
        var steps = StepsOf(bed, claim);
        var job = Guid.NewGuid().ToString();
        Assert.True(await bed.Redis.GetDatabase().LockTakeAsync(bed.Queue.Keys.StepClaim(job, "mail"), "killed attempt", claim));
        var effects = 0;

        var ran = await steps.RunOnceAsync(job, "mail", () => Task.FromResult(Interlocked.Increment(ref effects)), TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(ran);
        Assert.Equal(1, effects);
    }

    [Fact]
    public async Task A_step_whose_effect_failed_is_done_by_the_next_attempt_at_once()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        var steps = StepsOf(bed, TimeSpan.FromMinutes(5));
        var job = Guid.NewGuid().ToString();

        await Assert.ThrowsAsync<InvalidOperationException>(() => steps.RunOnceAsync(
            job, "mail", () => throw new InvalidOperationException("SMTP refused"), TestContext.Current.CancellationToken));
        var retried = await steps.RunOnceAsync(job, "mail", () => Task.CompletedTask, TestContext.Current.CancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.True(retried);
        Assert.False(await steps.RunOnceAsync(job, "mail", () => Task.CompletedTask, TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task A_step_whose_effect_happened_while_Redis_stopped_answering_is_recorded_once_Redis_answers_and_never_done_again()
    {
        await using var bed = await QueueTestBed.CreateAsync(topology);
        await using var stalling = StallingProxy.Start(bed.ConnectionString);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(stalling.Options);
        var steps = new JobSteps(redis, bed.Queue, Options.Create(new QueueWorkerOptions { StepClaim = TimeSpan.FromSeconds(30) }), TimeProvider.System);
        var job = Guid.NewGuid().ToString();
        var effects = 0;

        // The mail goes out, and Redis stops answering before the step is recorded, longer than a command's timeout.
        var ran = await steps.RunOnceAsync(job, "mail", () =>
        {
            Interlocked.Increment(ref effects);
            stalling.StallFor(TimeSpan.FromSeconds(3));
            return Task.CompletedTask;
        }, TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromSeconds(20), TestContext.Current.CancellationToken);

        Assert.True(ran);
        Assert.False(await StepsOf(bed, TimeSpan.FromMilliseconds(500)).RunOnceAsync(
            job, "mail", () => Task.FromResult(Interlocked.Increment(ref effects)), TestContext.Current.CancellationToken));
        Assert.Equal(1, effects);
    }

    private static JobSteps StepsOf(QueueTestBed bed, TimeSpan claim) =>
        new(bed.Redis, bed.Queue, Options.Create(new QueueWorkerOptions { StepClaim = claim }), TimeProvider.System);

    /// <summary>
    /// A TCP proxy in front of the topology's Redis that can stop passing the client's bytes on for a while, as a frozen
    /// Redis or a stalled network would, for this test's connection alone.
    /// </summary>
    private sealed class StallingProxy : IAsyncDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly EndPoint _redis;
        private long _stalledUntil;

        private StallingProxy(string redisConnectionString)
        {
            Options = ConfigurationOptions.Parse(redisConnectionString);
            _redis = Options.EndPoints[0];
            _listener.Start();
            Options.EndPoints.Clear();
            Options.EndPoints.Add(_listener.LocalEndpoint);
            // A command unanswered for 300 ms has timed out: well within the stall.
            Options.AsyncTimeout = 300;
        }

        /// <summary>The topology's Redis settings, through the proxy.</summary>
        public ConfigurationOptions Options { get; }

        public static StallingProxy Start(string redisConnectionString)
        {
            var proxy = new StallingProxy(redisConnectionString);
            _ = proxy.AcceptAsync();
            return proxy;
        }

        public void StallFor(TimeSpan duration) => Interlocked.Exchange(ref _stalledUntil, Environment.TickCount64 + (long)duration.TotalMilliseconds);

        private async Task AcceptAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(_redis, _stop.Token);
                var toServer = new NetworkStream(server, ownsSocket: true);
                _ = PumpAsync(client.GetStream(), toServer, stalls: true);
                _ = PumpAsync(toServer, client.GetStream(), stalls: false);
            }
        }

        private async Task PumpAsync(Stream from, Stream to, bool stalls)
        {
            var buffer = new byte[16 * 1024];
            try
            {
                while (await from.ReadAsync(buffer, _stop.Token) is var read and > 0)
                {
                    while (stalls && Interlocked.Read(ref _stalledUntil) - Environment.TickCount64 is var left and > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(left), _stop.Token);
                    }

                    await to.WriteAsync(buffer.AsMemory(0, read), _stop.Token);
                }
            }
            catch (Exception exception) when (exception is OperationCanceledException or IOException or ObjectDisposedException)
            {
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
