using VSmenu.Resilience;

namespace VSmenu.Data.Resilience;

/// <summary>How long this process waits on PostgreSQL, and when it stops trying (section <c>Database</c>).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>
    /// How long one command may wait for PostgreSQL's answer: the backstop. A hung server is found sooner by the circuit
    /// (the api opens it when nothing was answered for 500 ms, <see cref="DependencyBreakerOptions.StallTimeout"/>, and a
    /// probe went unanswered for 400 ms, and lets go of the requests still waiting). Long, because a command that times out makes Npgsql send a cancel request and
    /// block a thread reading its reply, which a hung server never sends: twenty of those starve the thread pool, while a
    /// command left to wait simply completes when the server answers again.
    /// </summary>
    public TimeSpan CommandTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Connections this process keeps to PostgreSQL at most (Npgsql's default is 100). A burst of requests then queues for
    /// a connection in the process, for microseconds each, instead of making the server fork a backend per request: on a
    /// small machine a burst of 240 orders made PostgreSQL answer nothing for over a second while it forked a hundred.
    /// </summary>
    public int MaxPoolSize { get; set; } = 20;

    /// <summary>
    /// How long PostgreSQL keeps a session of this process that waits, in a transaction, for its next statement before it
    /// ends the session and so the transaction and its locks (<c>idle_in_transaction_session_timeout</c>). Longer than
    /// anything of ours waits between two statements (the outbox relay's PUBLISH in its transaction waits at most Redis's
    /// 5 s command timeout). A backstop: before a query inside a transaction's work stopped being let go of on its own
    /// (<see cref="FailFastRetryingExecutionStrategy"/>), transactions let go of in a freeze never ended after the thaw,
    /// and in a chaos run six held their orders' rows, and six of a replica's 20 connections, for as long as the api ran.
    /// </summary>
    public TimeSpan IdleInTransactionTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>When the circuit on PostgreSQL opens and how it is probed.</summary>
    public DependencyBreakerOptions Breaker { get; set; } = new();
}
