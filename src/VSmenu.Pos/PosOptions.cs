namespace VSmenu.Pos;

/// <summary>One terminal's settings (<c>Pos:*</c>): where its data lives and how often it syncs.</summary>
public sealed class PosOptions
{
    public const string Section = "Pos";

    /// <summary>The terminal's own folder: its SQLite database, its credentials and <c>ipc.json</c>.</summary>
    public string DataPath { get; set; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "vsmenu-pos");

    /// <summary>The IPC socket; by default <c>ipc/pos.sock</c> in a folder of the data folder that only the user may enter.</summary>
    public string? IpcPath { get; set; }

    /// <summary>A pull even when the hub says nothing (it may be down): the spec's 60 s.</summary>
    public TimeSpan PullInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often the write-ahead log is checkpointed (and so fsynced): how much a power cut can take back at most, since
    /// commits do not fsync (<c>synchronous = NORMAL</c>). With a checkpoint after every sync round, a till's commits at
    /// ten orders a second took 0.7 ms at p50 and 8.1 ms at p99, against 0.17 and 0.85 ms with none (bench/pos.sh).
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two tries while the api cannot be reached.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long after a local write its push starts (<see cref="Sync.SyncEngine.PushSoon"/>). A round that started at once
    /// began 1-3 ms into the write's call, while its answer was still on its way to the UI, and took the cores from it: at
    /// ten orders a second, from the channel's return to Node holding the answer took p99 4.9 ms and at most 43 ms. With the
    /// round 25 ms later, 3 creates in 300 met one, and that stretch took p99 1.7 ms (bench/pos.sh, timed on both sides).
    /// </summary>
    public TimeSpan PushDelay { get; set; } = TimeSpan.FromMilliseconds(25);

    /// <summary>Mutations per push request (the api takes up to 1,000).</summary>
    public int PushBatch { get; set; } = 100;

    /// <summary>A restaurant this terminal signs in to by itself when nobody is signed in (the AppHost's demo terminal).</summary>
    public DemoRestaurantOptions Demo { get; set; } = new();

    public string SocketPath => IpcPath ?? Path.Combine(DataPath, "ipc", "pos.sock");

    public string IpcFile => Path.Combine(DataPath, "ipc.json");
}

public sealed class DemoRestaurantOptions
{
    public string? Restaurant { get; set; }

    public string? Email { get; set; }

    public string? Password { get; set; }

    public bool Enabled => !string.IsNullOrEmpty(Email) && !string.IsNullOrEmpty(Password);
}
