using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace VSmenu.Pos.Store;

/// <summary>
/// The terminal's SQLite database (WAL) in its data folder, which only the user may enter: it holds the restaurant's
/// mirror, the pending mutations and the signed-in users' tokens.
/// </summary>
public sealed class PosDatabase
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS settings (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS records (
            entity TEXT NOT NULL, id INTEGER NOT NULL, data TEXT NOT NULL,
            PRIMARY KEY (entity, id)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS orders (
            local_id INTEGER PRIMARY KEY AUTOINCREMENT,
            id INTEGER UNIQUE,
            client_id TEXT UNIQUE,
            status TEXT NOT NULL,
            type TEXT NOT NULL,
            table_id INTEGER,
            created_at TEXT NOT NULL,
            data TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS orders_by_created_at ON orders (created_at);
        CREATE TABLE IF NOT EXISTS mutations (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            name TEXT NOT NULL,
            args TEXT NOT NULL,
            order_local_id INTEGER,
            user_id INTEGER NOT NULL,
            created_at TEXT NOT NULL,
            state TEXT NOT NULL DEFAULT 'pending',
            result TEXT,
            settled_at TEXT);
        CREATE INDEX IF NOT EXISTS mutations_by_state ON mutations (state, id);
        CREATE INDEX IF NOT EXISTS pending_mutations_by_order ON mutations (order_local_id) WHERE state = 'pending';
        CREATE TABLE IF NOT EXISTS credentials (
            user_id INTEGER PRIMARY KEY,
            tenant_id INTEGER NOT NULL,
            token TEXT NOT NULL,
            user TEXT NOT NULL,
            signed_in INTEGER NOT NULL);
        """;

    private readonly string _connectionString;

    /// <summary>
    /// Only this process writes the file, so writers queue here rather than in SQLite's busy handler, which sleeps in
    /// steps of up to 25 ms (a UI's write behind a sync's settle waited 24 ms at p99 that way).
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>1 when something was written that the last checkpoint did not move into the database file.</summary>
    private int _unCheckpointed;

    public PosDatabase(IOptions<PosOptions> options)
    {
        var folder = options.Value.DataPath;
        PrivateFolder.Create(folder);
        var file = Path.Combine(folder, "pos.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, DefaultTimeout = 30 }.ToString();
        using (var connection = new SqliteConnection(_connectionString))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = Schema;
            command.ExecuteNonQuery();
        }

        PrivateFolder.RestrictFile(file);
    }

    public async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        using var pragma = connection.CreateCommand();
        // Checkpoints (which fsync) run on their own timer, never inside a UI's write: see CheckpointAsync.
        pragma.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            Volatile.Write(ref _unCheckpointed, 1);
            return result;
        }
        finally
        {
            _writer.Release();
        }
    }

    /// <summary>
    /// Moves the write-ahead log into the database file, if anything was written since the last time, without waiting for
    /// readers or writers; <see cref="WalCheckpoints"/> calls it on a timer. SQLite would otherwise do it inside whichever
    /// write crossed 1,000 pages, and that write (a till's new order) would wait for the fsync.
    /// </summary>
    public async Task CheckpointAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _unCheckpointed, 0) == 0)
        {
            return;
        }

        var complete = false;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            await using var result = await command.ExecuteReaderAsync(cancellationToken);
            // busy, frames in the log, frames moved into the database: a reader still on old frames leaves some behind.
            complete = await result.ReadAsync(cancellationToken) && result.GetInt64(1) == result.GetInt64(2);
        }
        finally
        {
            if (!complete)
            {
                Volatile.Write(ref _unCheckpointed, 1);
            }
        }
    }

    public async Task<T> ReadAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await work(connection);
    }
}
