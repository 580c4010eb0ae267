using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace VSmenu.Pos.Store;

/// <summary>
/// The terminal's SQLite database (WAL) in its data folder, which only the user may enter: it holds the restaurant's
/// mirror, the pending mutations and the signed-in users' tokens.
/// </summary>
public sealed class PosDatabase : IAsyncDisposable
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

    /// <summary>Each connection's settings. Checkpoints (which fsync) run on their own timer, never inside a UI's write: see CheckpointAsync.</summary>
    private const string Pragmas = "PRAGMA busy_timeout = 30000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 0;";

    /// <summary>Readers kept open between reads; more may be open at once, and are closed when given back.</summary>
    private const int IdleReaders = 4;

    private readonly string _connectionString;

    /// <summary>
    /// Only this process writes the file, so writers queue here rather than in SQLite's busy handler, which sleeps in
    /// steps of up to 25 ms (a UI's write behind a sync's settle waited 24 ms at p99 that way).
    /// </summary>
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>The one connection that writes, lent under <see cref="_writer"/>.</summary>
    private readonly PosConnection _writing;

    private readonly ConcurrentQueue<PosConnection> _readers = new();

    /// <summary>1 when something was written that the last checkpoint did not move into the database file.</summary>
    private int _unCheckpointed;

    private bool _disposed;

    public PosDatabase(IOptions<PosOptions> options)
    {
        var folder = options.Value.DataPath;
        PrivateFolder.Create(folder);
        var file = Path.Combine(folder, "pos.db");
        _connectionString = new SqliteConnectionStringBuilder { DataSource = file, Pooling = false, DefaultTimeout = 30 }.ToString();
        _writing = Open(_connectionString, Schema + Pragmas);
        PrivateFolder.RestrictFile(file);
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction, one writer at a time.</summary>
    public async Task<T> WriteAsync<T>(Func<PosConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var transaction = _writing.Sqlite.BeginTransaction(deferred: false);
            var result = await work(_writing, transaction);
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
            complete = await ReadAsync(
                async connection =>
                {
                    await using var command = connection.Command(null, "PRAGMA wal_checkpoint(PASSIVE);");
                    await using var result = await command.ExecuteReaderAsync(cancellationToken);
                    // busy, frames in the log, frames moved into the database: a reader still on old frames leaves some behind.
                    return await result.ReadAsync(cancellationToken) && result.GetInt64(1) == result.GetInt64(2);
                },
                cancellationToken);
        }
        finally
        {
            if (!complete)
            {
                Volatile.Write(ref _unCheckpointed, 1);
            }
        }
    }

    public async Task<T> ReadAsync<T>(Func<PosConnection, Task<T>> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed), this);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = _readers.TryDequeue(out var idle) ? idle : Open(_connectionString, Pragmas);
        try
        {
            return await work(connection);
        }
        finally
        {
            if (_readers.Count < IdleReaders)
            {
                _readers.Enqueue(connection);
            }
            else
            {
                await connection.DisposeAsync();
            }

            // A reader given back while the database was being disposed is closed here rather than kept.
            if (Volatile.Read(ref _disposed))
            {
                await CloseIdleReadersAsync();
            }
        }
    }

    /// <summary>Waits for the write under way, if any; a write or read asked for afterwards fails.</summary>
    public async ValueTask DisposeAsync()
    {
        Volatile.Write(ref _disposed, true);
        await _writer.WaitAsync();
        await _writing.DisposeAsync();
        await CloseIdleReadersAsync();
        _writer.Dispose();
    }

    private async Task CloseIdleReadersAsync()
    {
        while (_readers.TryDequeue(out var reader))
        {
            await reader.DisposeAsync();
        }
    }

    /// <summary>
    /// Opens a connection and runs <paramref name="setUp"/> on it. Microsoft.Data.Sqlite opens synchronously even when
    /// asked asynchronously, so there is nothing to await.
    /// </summary>
    private static PosConnection Open(string connectionString, string setUp)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = setUp;
            command.ExecuteNonQuery();
            return new PosConnection(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
