using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace VSmenu.Resilience;

/// <summary>
/// A circuit breaker on one backing store of this process. Closed, every call goes through and reports how it went;
/// after <see cref="DependencyBreakerOptions.FailuresToOpen"/> failures in a row it opens, and calls are refused at once
/// (<see cref="ThrowIfOpen"/>) instead of each waiting out its own timeout on a store that hangs. While open, one probe
/// at a time goes out every <see cref="DependencyBreakerOptions.ProbeInterval"/>, in the background, so no request pays for
/// it; the first that succeeds closes the circuit. With <see cref="DependencyBreakerOptions.StallTimeout"/> it also opens
/// when calls are waiting (<see cref="CallStarted"/>), none has been answered (<see cref="CallEnded"/>) for that long, and a
/// probe goes unanswered too.
/// </summary>
public sealed partial class DependencyBreaker : IDisposable
{
    private static readonly Meter Meter = new("VSmenu.Resilience");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>(
        "vsmenu.resilience.breaker.refused", "{call}", "Calls refused at once because the backing store's circuit is open.");
    private static readonly Counter<long> Transitions = Meter.CreateCounter<long>(
        "vsmenu.resilience.breaker.transitions", "{transition}", "Circuits opened and closed, by backing store and new state.");

    private readonly DependencyBreakerOptions _options;
    private readonly Func<CancellationToken, Task> _probe;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _failures;
    private int _open;
    private CancellationTokenSource _opening = new();
    private int _waiting;
    private int _confirming;
    private long _lastAnswer;
    private long _lastReply;
    private readonly ITimer? _stallWatch;

    /// <param name="dependency">The store's name, in logs, metrics and the exception.</param>
    /// <param name="options">When to open and how to probe.</param>
    /// <param name="probe">One cheap round trip to the store; it succeeds when the store answers.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where opening and closing are told.</param>
    public DependencyBreaker(string dependency, DependencyBreakerOptions options, Func<CancellationToken, Task> probe, TimeProvider time, ILogger logger)
    {
        Dependency = dependency;
        _options = options;
        _probe = probe;
        _time = time;
        _logger = logger;
        _lastAnswer = time.GetTimestamp();
        if (options.StallTimeout is { } stall)
        {
            var every = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 10, stall.Ticks / 10));
            _stallWatch = time.CreateTimer(_ => CheckStall(stall), null, every, every);
        }
    }

    public string Dependency { get; }

    public bool IsOpen => Volatile.Read(ref _open) == 1;

    /// <summary>
    /// Cancelled the moment the circuit opens: a caller that links its work to it stops waiting on the store then,
    /// instead of waiting out its own timeout on a store the others already found hung.
    /// </summary>
    public CancellationToken Opened => Volatile.Read(ref _opening).Token;

    /// <summary>Refuses the call when the circuit is open.</summary>
    /// <exception cref="DependencyUnavailableException">The circuit is open.</exception>
    public void ThrowIfOpen()
    {
        if (IsOpen)
        {
            Refused.Add(1, new KeyValuePair<string, object?>("dependency", Dependency));
            throw new DependencyUnavailableException(Dependency);
        }
    }

    public void RecordSuccess()
    {
        if (Volatile.Read(ref _failures) != 0)
        {
            Interlocked.Exchange(ref _failures, 0);
        }
    }

    /// <summary>Counts a call that failed because the store did not answer; the last one allowed opens the circuit.</summary>
    public void RecordFailure(Exception cause)
    {
        if (_options.FailuresToOpen > 0 && Interlocked.Increment(ref _failures) >= _options.FailuresToOpen)
        {
            Open(cause);
        }
    }

    /// <summary>A call to the store is now waiting for its answer.</summary>
    public void CallStarted()
    {
        if (Interlocked.Increment(ref _waiting) == 1)
        {
            // Time spent idle is not time spent waiting.
            Volatile.Write(ref _lastAnswer, _time.GetTimestamp());
        }
    }

    /// <summary>A call ended; <paramref name="answered"/> when the store itself answered it (a result or an error of its own).</summary>
    public void CallEnded(bool answered)
    {
        if (answered)
        {
            RecordAnswer();
        }

        Interlocked.Decrement(ref _waiting);
    }

    /// <summary>The store said something (an answer, an error of its own, a handshake): it is alive now.</summary>
    public void RecordAnswer()
    {
        var now = _time.GetTimestamp();
        Volatile.Write(ref _lastAnswer, now);
        Volatile.Write(ref _lastReply, now);
    }

    /// <summary>
    /// Calls waiting with no answer for a while may be waiting on the store's own locks rather than on a hung store: a
    /// probe tells the two apart (a store that answers it is alive), and only a probe that fails too opens the circuit.
    /// A probe can also time out because this process is too busy to read its answer (a cold start under a rush): a store
    /// that answered any other call meanwhile is alive, and the circuit stays closed.
    /// </summary>
    private void CheckStall(TimeSpan stall)
    {
        var waiting = Volatile.Read(ref _waiting);
        var silent = _time.GetElapsedTime(Volatile.Read(ref _lastAnswer));
        if (waiting > 0 && silent > stall && !IsOpen && Interlocked.CompareExchange(ref _confirming, 1, 0) == 0)
        {
            _ = Task.Run(async () =>
            {
                try
                {
                    var probed = _time.GetTimestamp();
                    if (await ProbeAsync() || Volatile.Read(ref _lastReply) > probed)
                    {
                        Volatile.Write(ref _lastAnswer, _time.GetTimestamp());
                    }
                    else
                    {
                        Open(new TimeoutException($"{waiting} calls waiting, no answer for {silent.TotalMilliseconds:0} ms, and no answer to a probe."));
                    }
                }
                finally
                {
                    Volatile.Write(ref _confirming, 0);
                }
            });
        }
    }

    private async Task<bool> ProbeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.ProbeTimeout, _time);
            await _probe(timeout.Token).WaitAsync(timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            return false;
        }
    }

    private void Open(Exception cause)
    {
        if (Interlocked.CompareExchange(ref _open, 1, 0) == 0)
        {
            LogOpened(cause, Dependency);
            // Off this thread: whoever waits on the token runs its callback on the thread that cancels.
            _ = Volatile.Read(ref _opening).CancelAsync();
            Transitions.Add(1, new KeyValuePair<string, object?>("dependency", Dependency), new KeyValuePair<string, object?>("state", "open"));
            _ = Task.Run(ProbeUntilClosedAsync);
        }
    }

    private async Task ProbeUntilClosedAsync()
    {
        var probes = 0;
        while (true)
        {
            await Task.Delay(_options.ProbeInterval, _time);
            probes++;
            if (await ProbeAsync())
            {
                break;
            }
        }

        Interlocked.Exchange(ref _failures, 0);
        Volatile.Write(ref _lastAnswer, _time.GetTimestamp());
        Volatile.Write(ref _opening, new CancellationTokenSource());
        Volatile.Write(ref _open, 0);
        Transitions.Add(1, new KeyValuePair<string, object?>("dependency", Dependency), new KeyValuePair<string, object?>("state", "closed"));
        LogClosed(Dependency, probes);
    }

    public void Dispose() => _stallWatch?.Dispose();

    [LoggerMessage(LogLevel.Warning, "{Dependency} is not answering: its circuit is open, calls are refused at once until a probe succeeds")]
    private partial void LogOpened(Exception exception, string dependency);

    [LoggerMessage(LogLevel.Information, "{Dependency} answered probe {Probes}: its circuit is closed again")]
    private partial void LogClosed(string dependency, int probes);
}
