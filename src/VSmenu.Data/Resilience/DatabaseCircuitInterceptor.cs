using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;
using VSmenu.Resilience;

namespace VSmenu.Data.Resilience;

/// <summary>
/// Puts every EF Core connection and command of this process behind the circuit on PostgreSQL: a connection is not opened
/// while the circuit is open (the caller gets <see cref="DependencyUnavailableException"/> at once); every command is a
/// call that waits for an answer, and a command or connection that failed because the server did not answer counts as a
/// failure. Opening a connection is a call that waits too (an api replica whose pool was empty when the server froze only
/// opened connections, never saw a call waiting, and held requests 9 s). Its end is no answer: a pooled one opens without
/// the server saying anything, and counting those as answers hid a freeze from a process too busy to open one in 1 ms;
/// the handshake of a physical one is (<see cref="DatabaseCircuit.DataSource"/>).
/// </summary>
internal sealed class DatabaseCircuitInterceptor(DatabaseCircuit circuit) : DbCommandInterceptor, IDbConnectionInterceptor
{
    private DependencyBreaker Breaker => circuit.Breaker;

    public InterceptionResult ConnectionOpening(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Breaker.ThrowIfOpen();
        Breaker.CallStarted();
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionOpeningAsync(
        DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(ConnectionOpening(connection, eventData, result));

    public void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Breaker.CallEnded(answered: false);

    public Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionOpened(connection, eventData);
        return Task.CompletedTask;
    }

    public void ConnectionFailed(DbConnection connection, ConnectionErrorEventData eventData)
    {
        // EF reports a refusal thrown by ConnectionOpening as a failed open too: that call never started, and ending it
        // anyway drove the count of calls waiting below zero, so that the next freeze, after an outage's refusals, went
        // unseen and held requests 10 s.
        if (eventData.Exception is DependencyUnavailableException)
        {
            return;
        }

        Breaker.CallEnded(answered: !RecordIfUnanswered(eventData.Exception));
    }

    public Task ConnectionFailedAsync(DbConnection connection, ConnectionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        ConnectionFailed(connection, eventData);
        return Task.CompletedTask;
    }

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result) =>
        Started(result);

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(result));

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result) =>
        Started(result);

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(result));

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result) =>
        Started(result);

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Started(result));

    public override DbDataReader ReaderExecuted(DbCommand command, CommandExecutedEventData eventData, DbDataReader result) => Answered(result);

    public override ValueTask<DbDataReader> ReaderExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, DbDataReader result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Answered(result));

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result) => Answered(result);

    public override ValueTask<int> NonQueryExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Answered(result));

    public override object? ScalarExecuted(DbCommand command, CommandExecutedEventData eventData, object? result) => Answered(result);

    public override ValueTask<object?> ScalarExecutedAsync(
        DbCommand command, CommandExecutedEventData eventData, object? result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Answered(result));

    public override void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        FailFastRetryingExecutionStrategy.MarkCommandTimedOut(eventData.Exception);
        var unanswered = RecordIfUnanswered(eventData.Exception);
        Breaker.CallEnded(answered: !unanswered);
    }

    public override Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public override void CommandCanceled(DbCommand command, CommandEndEventData eventData) => Breaker.CallEnded(answered: false);

    public override Task CommandCanceledAsync(DbCommand command, CommandEndEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandCanceled(command, eventData);
        return Task.CompletedTask;
    }

    private T Started<T>(T result)
    {
        Breaker.CallStarted();
        return result;
    }

    private T Answered<T>(T result)
    {
        Breaker.CallEnded(answered: true);
        Breaker.RecordSuccess();
        return result;
    }

    private bool RecordIfUnanswered(Exception exception)
    {
        if (exception is DependencyUnavailableException || !DependencyFailure.IsBackingStoreDown(exception))
        {
            return false;
        }

        Breaker.RecordFailure(exception);
        return true;
    }
}
