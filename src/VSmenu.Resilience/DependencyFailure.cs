using System.Data.Common;

namespace VSmenu.Resilience;

/// <summary>What counts as a backing store being down, however deep a client library wrapped the failure.</summary>
/// <remarks>
/// The client libraries' exceptions are recognised by their ADO.NET base (PostgreSQL) and by name (Redis) rather than
/// referenced, so that a process that uses one store (the migration service, EF's tooling) does not carry the other's
/// client.
/// </remarks>
public static class DependencyFailure
{
    /// <summary>
    /// PostgreSQL or Redis unreachable, refusing, restarting or not answering in time (a timed-out command is transient to
    /// Npgsql), or a circuit open on one of them. Not a failure of the request itself (bad SQL, a constraint).
    /// </summary>
    public static bool IsBackingStoreDown(Exception? exception)
    {
        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is DependencyUnavailableException or DbException { IsTransient: true } || IsRedisUnreachable(exception))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>StackExchange.Redis's <c>RedisConnectionException</c> or <c>RedisTimeoutException</c>.</summary>
    private static bool IsRedisUnreachable(Exception exception) =>
        exception.GetType() is { Namespace: "StackExchange.Redis", Name: "RedisConnectionException" or "RedisTimeoutException" };
}
