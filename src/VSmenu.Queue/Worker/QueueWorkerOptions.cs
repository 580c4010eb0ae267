namespace VSmenu.Queue.Worker;

/// <summary>
/// A worker's options (section <c>Queue:Worker</c>), named as <c>queue:work</c>'s and settable as its arguments:
/// <c>--queue=high,default,low --tries=3 --timeout=60 --sleep=3 --max-jobs=1000 --max-time=3600</c>.
/// </summary>
public sealed class QueueWorkerOptions
{
    public const string SectionName = "Queue:Worker";

    /// <summary>The queues to serve, highest priority first, comma-separated.</summary>
    public string Queue { get; set; } = string.Join(',', Queues.ByPriority);

    /// <summary>
    /// Jobs run at once by this process. The jobs mostly wait on SMTP, gateways and PostgreSQL, and more slots drain a
    /// rush sooner: every job done 4.9–5.2 s after the last order of a 50 orders/s rush with 16, 6.7–8.0 s with 8 (the
    /// mails held every slot while payments queued behind them), 6.1 s with 32 (CPU contention on two cores).
    /// </summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>
    /// A queue's share of this process's slots (<c>Queue:Worker:Limits:stock=2</c>): the most its jobs may hold at once,
    /// and the slots that ask it first, ahead of the queues above it, while it has jobs. A queue whose jobs are slow or
    /// stuck then holds only its share and the others go on; a queue below a busy one still moves. A queue not named may
    /// use every slot, by strict priority.
    /// </summary>
    public Dictionary<string, int> Limits { get; set; } = new(StringComparer.OrdinalIgnoreCase) { [Queues.Stock] = 2 };

    /// <summary>Attempts of a job that does not set its own; 0 = unlimited.</summary>
    public int Tries { get; set; } = 1;

    /// <summary>
    /// Attempts of a job abandoned by their worker (killed, or too starved to renew its lease) that do not count against
    /// its tries: a chaos run's worker kills, a few seconds apart, used up the three tries of a mail that had never failed.
    /// Past this many the job counts them, so a job that kills every worker that runs it still ends in failed jobs.
    /// </summary>
    public int AbandonsForgiven { get; set; } = 3;

    /// <summary>Seconds an attempt of a job that does not set its own may run.</summary>
    public int Timeout { get; set; } = 60;

    /// <summary>
    /// Seconds an idle worker waits before looking again. Pushes wake it at once (pub/sub); this only bounds the wait
    /// when a wake-up was lost with a connection.
    /// </summary>
    public double Sleep { get; set; } = 3;

    /// <summary>Exit after this many jobs (0 = never), so a supervisor starts a fresh process.</summary>
    public int MaxJobs { get; set; }

    /// <summary>Exit after this many seconds (0 = never).</summary>
    public int MaxTime { get; set; }

    /// <summary>How long a job may go on after its cancellation before the worker gives up on it and recycles itself.</summary>
    public TimeSpan CancellationGrace { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the worker proves it is alive and renews the leases of its running jobs.</summary>
    public TimeSpan Heartbeat { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many heartbeats a worker may miss before its jobs are taken back. A process on a saturated machine was seen
    /// running its heartbeat 3.3 s late (a replica started during a database freeze, its thread pool still growing), and
    /// a job taken back from a live worker runs twice at once.
    /// </summary>
    public int HeartbeatsMissed { get; set; } = 5;

    /// <summary>How long a worker counts as alive after its last heartbeat.</summary>
    public TimeSpan HeartbeatLife => Heartbeat * HeartbeatsMissed;

    /// <summary>
    /// How long an attempt's claim on a side effect of its job lasts (<see cref="JobSteps"/>): longer than any one effect
    /// takes (an SMTP send or a gateway call, each bounded by its own timeouts), and the wait of the next attempt when
    /// the one holding it was killed mid-effect.
    /// </summary>
    public TimeSpan StepClaim { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A lease is the job's timeout plus the grace, capped at this, and renewed by every heartbeat.</summary>
    public TimeSpan MaxLease { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How much work a slot reserves in one round trip, by the time its recent jobs took (<see cref="TakeAheadSize"/>): jobs of
    /// microseconds share a round trip, which at one slot is most of what each costs; slower jobs are taken one at a time.
    /// Zero takes one at a time always.
    /// </summary>
    public TimeSpan TakeAhead { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>
    /// How long jobs taken ahead wait behind one that runs longer than expected before they are given back, to the head of
    /// their list, for another slot or worker: a slow job never holds the jobs reserved with it.
    /// </summary>
    public TimeSpan TakenAheadWaitsAtMost { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a stopping worker lets running jobs finish before it cancels them and gives them back.</summary>
    public TimeSpan StopTimeout { get; set; } = TimeSpan.FromSeconds(20);

    public IReadOnlyList<string> QueueList => Queue.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary><c>queue:work</c>'s switches, for <c>AddCommandLine</c>.</summary>
    public static readonly IReadOnlyDictionary<string, string> CommandLineSwitches = new Dictionary<string, string>
    {
        ["--queue"] = $"{SectionName}:{nameof(Queue)}",
        ["--tries"] = $"{SectionName}:{nameof(Tries)}",
        ["--timeout"] = $"{SectionName}:{nameof(Timeout)}",
        ["--sleep"] = $"{SectionName}:{nameof(Sleep)}",
        ["--max-jobs"] = $"{SectionName}:{nameof(MaxJobs)}",
        ["--max-time"] = $"{SectionName}:{nameof(MaxTime)}",
        ["--concurrency"] = $"{SectionName}:{nameof(Concurrency)}",
    };
}
