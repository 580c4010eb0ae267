using VSmenu.Queue;

namespace VSmenu.QueueTestWorker;

/// <summary>
/// A job that records what happens to it in Redis lists under <see cref="Mark"/> (<c>:starts</c>, <c>:done</c>,
/// <c>:failed</c>, entries <c>attempt:pid:unix-ms</c>) and appends its mark to <see cref="Log"/> when done, so a test
/// can see every attempt, in which process and when. It runs for <see cref="RunMilliseconds"/>, honouring its
/// cancellation unless <see cref="IgnoresCancellation"/>, and throws in its first <see cref="FailingAttempts"/> attempts.
/// </summary>
public abstract record TestJob(string Mark, string Log, int RunMilliseconds = 0, int FailingAttempts = 0, bool IgnoresCancellation = false) : IJob;

[Job("test.record")]
public sealed record RecordJob(string Mark, string Log, int RunMilliseconds = 0, int FailingAttempts = 0)
    : TestJob(Mark, Log, RunMilliseconds, FailingAttempts);

[Job("test.flaky", Tries = 3, BackoffSeconds = [1, 2])]
public sealed record FlakyJob(string Mark, string Log, int FailingAttempts) : TestJob(Mark, Log, 0, FailingAttempts);

[Job("test.slow", Tries = 2, TimeoutSeconds = 30)]
public sealed record SlowJob(string Mark, string Log, int RunMilliseconds) : TestJob(Mark, Log, RunMilliseconds);

[Job("test.timeout", TimeoutSeconds = 1)]
public sealed record TimeoutJob(string Mark, string Log, int RunMilliseconds, bool IgnoresCancellation)
    : TestJob(Mark, Log, RunMilliseconds, 0, IgnoresCancellation);
