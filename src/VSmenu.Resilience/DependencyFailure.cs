using Npgsql;
using StackExchange.Redis;

namespace VSmenu.Resilience;

/// <summary>What counts as a backing store being down, however deep a client library wrapped the failure.</summary>
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
            if (exception is DependencyUnavailableException or NpgsqlException { IsTransient: true } or RedisConnectionException or RedisTimeoutException)
            {
                return true;
            }
        }

        return false;
    }
}
