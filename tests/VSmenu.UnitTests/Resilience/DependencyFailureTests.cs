using Npgsql;
using StackExchange.Redis;
using VSmenu.Resilience;

namespace VSmenu.UnitTests.Resilience;

/// <summary>Which failures mean a backing store is down (give the work back, answer 503) rather than the request is wrong.</summary>
public sealed class DependencyFailureTests
{
    public static TheoryData<Exception> Down() =>
    [
        new RedisConnectionException(ConnectionFailureType.UnableToConnect, "No connection is available"),
        new RedisTimeoutException("Timeout performing EVAL", CommandStatus.Sent),
        new NpgsqlException("Exception while reading from stream", new TimeoutException()),
        new DependencyUnavailableException("PostgreSQL"),
        new InvalidOperationException("An exception has been raised that is likely due to a transient failure.",
            new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111))),
    ];

    public static TheoryData<Exception> NotDown() =>
    [
        new RedisServerException("ERR unknown command"),
        new NpgsqlException("syntax error"),
        new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation),
        new TimeoutException("a job's own timeout"),
        new InvalidOperationException("a bug"),
    ];

    [Theory]
    [MemberData(nameof(Down))]
    public void A_store_that_does_not_answer_is_down_however_deep_it_was_wrapped(Exception exception) =>
        Assert.True(DependencyFailure.IsBackingStoreDown(exception), exception.GetType().Name);

    [Theory]
    [MemberData(nameof(NotDown))]
    public void A_refusal_of_the_request_itself_is_not_a_store_down(Exception exception) =>
        Assert.False(DependencyFailure.IsBackingStoreDown(exception), exception.GetType().Name);
}
