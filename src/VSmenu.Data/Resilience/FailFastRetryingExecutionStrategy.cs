using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using VSmenu.Resilience;

namespace VSmenu.Data.Resilience;

/// <summary>
/// Npgsql's retries for a dropped connection, a failover blip or a connection attempt that timed out while the pool grew
/// on a busy machine, but never for a command that timed out: the server did not answer it in time once, and asking
/// again only multiplies the wait (three 10 s timeouts held a request 22 s). And an operation is let go of, never
/// cancelled, when its caller gives up or the circuit on PostgreSQL opens under it (then with
/// <see cref="DependencyUnavailableException"/>): Npgsql cancels a command by sending the server a cancel request and
/// reading the reply on a blocked thread, and a hung server sends none, so each cancellation would hold a thread (and the
/// caller) for as long as the server hangs. The command let go of ends by itself when the server answers again.
/// </summary>
internal sealed class FailFastRetryingExecutionStrategy(
    ExecutionStrategyDependencies dependencies, int maxRetryCount, TimeSpan maxRetryDelay, DependencyBreaker breaker)
    : NpgsqlRetryingExecutionStrategy(dependencies, maxRetryCount, maxRetryDelay, errorCodesToAdd: null)
{
    private const string CommandTimedOutKey = "VSmenu.CommandTimedOut";

    /// <summary>Marks <paramref name="exception"/> as a command that timed out (only the command interceptor knows which failures are).</summary>
    public static void MarkCommandTimedOut(Exception exception)
    {
        if (exception is NpgsqlException { InnerException: TimeoutException })
        {
            exception.Data[CommandTimedOutKey] = true;
        }
    }

    public override async Task<TResult> ExecuteAsync<TState, TResult>(
        TState state,
        Func<DbContext, TState, CancellationToken, Task<TResult>> operation,
        Func<DbContext, TState, CancellationToken, Task<ExecutionResult<TResult>>>? verifySucceeded,
        CancellationToken cancellationToken = default)
    {
        // A call inside an operation already running under the strategy (a query in a transaction's work) is let go of
        // only with that operation, whole. Let go of on its own, its read went on in the background while the work, failing
        // with it, disposed the transaction and read on the same connection too: after the thaw the background read took
        // the server's answer, and the dispose waited for ever for another, its transaction idle and holding the order's rows.
        if (Current is not null)
        {
            return await base.ExecuteAsync(state, operation, verifySucceeded, cancellationToken);
        }

        var running = base.ExecuteAsync(state, operation, verifySucceeded, CancellationToken.None);
        if (running.IsCompleted)
        {
            return await running;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, breaker.Opened);
        try
        {
            return await running.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (either.IsCancellationRequested && !running.IsCompleted)
        {
            // Its end, whenever the server answers, is nobody's concern any more but its context's disposal.
            var ended = running.ContinueWith(static ended => ended.Exception, TaskScheduler.Default);
            if (Dependencies.CurrentContext.Context is VsmenuDbContext context)
            {
                context.AbandonedOperation = ended;
            }

            cancellationToken.ThrowIfCancellationRequested();
            throw new DependencyUnavailableException(breaker.Dependency);
        }
    }

    protected override bool ShouldRetryOn(Exception? exception) =>
        exception?.Data.Contains(CommandTimedOutKey) != true && base.ShouldRetryOn(exception);
}
