using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Options;
using VSmenu.Pos.Auth;
using VSmenu.Pos.Store;

namespace VSmenu.Pos.Sync;

/// <summary>
/// Pushes the terminal's pending mutations (in order, in batches of one user's) and then pulls everything after its
/// cursor: at start, when asked (<c>sync:start</c>, <c>orders:sync</c>, the hub's <c>sync.changed</c>), a little after a
/// local write (<see cref="PushSoon"/>) and every <see cref="PosOptions.PullInterval"/>. While the api cannot be reached it
/// is <c>offline</c>, and while it answers but fails (5xx: its database hung, say) it is <c>error</c> with the api's
/// message; either way it tries again with growing waits, up to <see cref="PosOptions.MaxRetryDelay"/>, so it resumes by
/// itself within seconds of the api's recovery. A pull whose rest is held back by a transaction still open on the server
/// is tried again after short growing waits, not at once.
/// </summary>
public sealed partial class SyncEngine(
    PosApi api, MutationQueue mutations, Mirror mirror, TerminalSettings settings, Credentials credentials, PosEvents events,
    IOptions<PosOptions> options, TimeProvider time, ILogger<SyncEngine> logger) : BackgroundService
{
    private static readonly ActivitySource Tracing = new("VSmenu.Pos");
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Waits before pulling again what a transaction open on the server holds back: short, since the change is there as
    /// soon as that transaction ends, and the api is up; capped at a second, so a till asks at most about once a second.
    /// </summary>
    private static readonly TimeSpan FirstHeldBackDelay = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan MaxHeldBackDelay = TimeSpan.FromSeconds(1);
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private string _state = SyncStatus.Idle;
    private string? _error;
    private bool _retrying;
    private bool _pullHeldBack;
    private string? _hubSocketId;
    private bool _pushSoon;

    /// <summary>Asks for a sync as soon as the current one ends (many asks while one runs make one more run).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    /// <summary>
    /// Asks for a sync to push a local write, <see cref="PosOptions.PushDelay"/> after it: the UI that made the write gets
    /// its answer before the round takes the process's threads, and the next few changes go in the same push.
    /// </summary>
    public void PushSoon()
    {
        Volatile.Write(ref _pushSoon, true);
        Wake();
    }

    /// <summary>
    /// The hub socket that wakes this engine (null while there is none). Pushes name it, so the hub sends their own
    /// <c>order.created</c> and <c>sync.changed</c> to the other terminals only: the pull after every push brings those
    /// changes here, and the echo cost each order at the till a second round.
    /// </summary>
    public void ListeningOn(string? socketId) => Volatile.Write(ref _hubSocketId, socketId);

    public async Task<SyncStatus> StatusAsync(bool withRejections, CancellationToken cancellationToken) => new(
        _state,
        await mutations.CountPendingAsync(null, cancellationToken),
        await settings.GetAsync(TerminalSettings.LastSyncedAtKey, cancellationToken),
        await settings.GetAsync(TerminalSettings.CursorKey, cancellationToken),
        _error,
        withRejections ? await mutations.RejectedAsync(50, cancellationToken) : null);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retryDelay = FirstRetryDelay;
        var heldBackDelay = FirstHeldBackDelay;
        Wake();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = _retrying ? retryDelay : _pullHeldBack ? heldBackDelay : options.Value.PullInterval;
            using (var timer = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                timer.CancelAfter(wait);
                try
                {
                    await _wake.Reader.ReadAsync(timer.Token);
                }
                catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
                {
                    // The interval, or the retry delay, has passed.
                }
            }

            if (Interlocked.Exchange(ref _pushSoon, false))
            {
                await Task.Delay(options.Value.PushDelay, time, stoppingToken);
                // The round about to start pushes whatever was written meanwhile: those writes' wakes need no round of their own.
                _wake.Reader.TryRead(out _);
            }

            try
            {
                var caughtUp = await SyncOnceAsync(stoppingToken);
                heldBackDelay = _pullHeldBack && !caughtUp ? Doubled(heldBackDelay, MaxHeldBackDelay) : FirstHeldBackDelay;
                (_retrying, retryDelay, _pullHeldBack) = (false, FirstRetryDelay, !caughtUp);
            }
            catch (Exception unreachable) when (PosApi.IsUnreachable(unreachable) && !stoppingToken.IsCancellationRequested)
            {
                // An api that answers 5xx is there but failing: the till must not send its staff to check the network cable.
                var state = unreachable is PosError { Status: >= 500 } ? SyncStatus.Failed : SyncStatus.Offline;
                if (_state != state)
                {
                    LogCannotSync(logger, state, unreachable.GetType().Name, unreachable.Message);
                }

                await SetStateAsync(state, unreachable.Message, stoppingToken);
                retryDelay = Doubled(retryDelay, options.Value.MaxRetryDelay);
                _retrying = true;
            }
            catch (PosError refused)
            {
                _retrying = false;
                LogRefused(logger, refused.Status, refused.Message);
                await SetStateAsync(SyncStatus.Failed, refused.Message, stoppingToken);
            }
            catch (Exception unexpected) when (!stoppingToken.IsCancellationRequested)
            {
                // A till keeps serving its UI whatever one sync met; the next interval or request tries again.
                _retrying = false;
                LogFailed(logger, unexpected);
                await SetStateAsync(SyncStatus.Failed, unexpected.Message, stoppingToken);
            }
        }
    }

    private static TimeSpan Doubled(TimeSpan delay, TimeSpan max) => TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, max.Ticks));

    /// <summary>One push and pull; false when the server holds back part of what the pull should get (see <see cref="PullAsync"/>).</summary>
    private async Task<bool> SyncOnceAsync(CancellationToken cancellationToken)
    {
        if (await credentials.AnyAsync(cancellationToken) is null)
        {
            await SetStateAsync(SyncStatus.Idle, null, cancellationToken);
            return true;
        }

        using var activity = Tracing.StartActivity("pos sync");
        // Offline (or a failing api) stays so until a round gets through: against a hung api each try takes the whole 10 s
        // budget, and a till that said "syncing" for each try showed "offline" only in the pauses between them.
        if (!_retrying)
        {
            await SetStateAsync(SyncStatus.Syncing, null, cancellationToken);
        }

        await PushAsync(cancellationToken);
        await RevokeRetiredAsync(cancellationToken);
        var caughtUp = await PullAsync(cancellationToken);
        await settings.SetAsync(TerminalSettings.LastSyncedAtKey, PosJson.Wire(time.GetUtcNow()), cancellationToken);
        await SetStateAsync(SyncStatus.Idle, null, cancellationToken);
        return caughtUp;
    }

    private async Task PushAsync(CancellationToken cancellationToken)
    {
        var clientId = await settings.ClientIdAsync(cancellationToken);
        while (await mutations.NextBatchAsync(options.Value.PushBatch, cancellationToken) is { Count: > 0 } batch)
        {
            // A change is pushed as the user who made it, even after they signed out.
            var author = await credentials.ForUserAsync(batch[0].UserId, cancellationToken)
                ?? throw PosError.Of(401, $"The changes of user {batch[0].UserId} wait for that user to sign in again at this terminal.");
            var changes = batch.Select(mutation => (object)new { id = mutation.Id, name = mutation.Name, args = mutation.Args });
            var pushed = await api.PushAsync(author.Token, clientId, changes, Volatile.Read(ref _hubSocketId), cancellationToken);
            var settled = await mutations.SettleAsync(batch, pushed.GetProperty("results"), cancellationToken);
            LogPushed(logger, settled.Applied, settled.Rejected);
            events.Raise(settled.Orders.Notification);
            events.Raise(await StatusAsync(false, cancellationToken));
        }
    }

    /// <summary>
    /// Pulls pages until the server has no more; false when it answers an empty page that says there is more. That is
    /// a change committed after a transaction that is still open on the server (any restaurant's: a long report, a hung
    /// session), which the cursor cannot pass until it ends. Pulling again at once would ask the api in a loop for as
    /// long as that transaction stays open, so the next try waits (<see cref="FirstHeldBackDelay"/>).
    /// </summary>
    private async Task<bool> PullAsync(CancellationToken cancellationToken)
    {
        var puller = await credentials.AnyAsync(cancellationToken);
        if (puller is null)
        {
            return true;
        }

        while (true)
        {
            JsonElement page;
            try
            {
                page = await api.PullAsync(puller.Token, await settings.GetAsync(TerminalSettings.CursorKey, cancellationToken), cancellationToken);
            }
            catch (PosError gone) when (gone.Status == 410)
            {
                await mirror.ResetAsync(cancellationToken);
                continue;
            }

            events.Raise(await mirror.ApplyAsync(page, cancellationToken));
            if (!page.GetProperty("has_more").GetBoolean())
            {
                return true;
            }

            if (page.GetProperty("changes").GetArrayLength() == 0)
            {
                LogPullHeldBack(logger);
                return false;
            }
        }
    }

    /// <summary>Tokens of users who signed out with changes pending are revoked once those changes are on the server.</summary>
    private async Task RevokeRetiredAsync(CancellationToken cancellationToken)
    {
        foreach (var retired in await credentials.RetiredAsync(cancellationToken))
        {
            await api.RevokeAsync(retired.Token, cancellationToken);
            await credentials.ForgetAsync(retired.UserId, cancellationToken);
        }
    }

    private async Task SetStateAsync(string state, string? error, CancellationToken cancellationToken)
    {
        if (_state == state && _error == error && state != SyncStatus.Idle)
        {
            return;
        }

        (_state, _error) = (state, error);
        events.Raise(await StatusAsync(false, cancellationToken));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The api cannot sync ({State}, {Kind}: {Reason}); the terminal keeps working on its own and tries again.")]
    private static partial void LogCannotSync(ILogger logger, string state, string kind, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "The api refused the sync with {Status}: {Reason}")]
    private static partial void LogRefused(ILogger logger, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "A sync failed; the next one tries again.")]
    private static partial void LogFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "The server holds back the rest of the pull behind a transaction still open; the next pull waits.")]
    private static partial void LogPullHeldBack(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Pushed: {Applied} applied, {Rejected} rejected.")]
    private static partial void LogPushed(ILogger logger, int applied, int rejected);
}
