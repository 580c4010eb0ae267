using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SQLitePCL;
using VSmenu.Pos;
using VSmenu.Pos.Store;

namespace VSmenu.UnitTests.Pos;

/// <summary>The terminal's own SQLite file, real: what reaches the file and when, and what a pull may write over.</summary>
public sealed class TillDatabaseTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"vsmenu-wal-{Guid.NewGuid():N}");

    [Fact]
    public async Task A_write_is_only_in_the_write_ahead_log_until_the_timer_checkpoints_it_into_the_database_file()
    {
        var options = Options.Create(new PosOptions { DataPath = _folder, CheckpointInterval = TimeSpan.FromMilliseconds(200) });
        await using var database = new PosDatabase(options);
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = connection.Command(transaction, "INSERT INTO settings (key, value) VALUES ('probe', 'written')");
                return await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            },
            TestContext.Current.CancellationToken);
        Assert.Null(await ProbeInDatabaseFileAsync());

        using var checkpoints = new WalCheckpoints(database, options, TimeProvider.System, NullLogger<WalCheckpoints>.Instance);
        await checkpoints.StartAsync(TestContext.Current.CancellationToken);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (await ProbeInDatabaseFileAsync() is null)
        {
            await Task.Delay(50, deadline.Token);
        }

        await checkpoints.StopAsync(TestContext.Current.CancellationToken);
        Assert.Equal("written", await ProbeInDatabaseFileAsync());
    }

    [Fact]
    public async Task Every_connection_lent_for_a_write_or_a_read_new_or_kept_has_the_till_s_pragmas()
    {
        await using var database = new PosDatabase(Options.Create(new PosOptions { DataPath = _folder }));
        var cancellation = TestContext.Current.CancellationToken;
        Assert.Equal((1L, 0L), await database.WriteAsync(PragmasAsync, cancellation));

        // Six reads at once hold six connections, more than are kept between reads.
        var released = new TaskCompletionSource();
        var reads = Enumerable.Range(0, 6).Select(_ => database.ReadAsync(
            async connection =>
            {
                await released.Task;
                return await PragmasAsync(connection, null);
            },
            cancellation)).ToList();
        released.SetResult();
        Assert.All(await Task.WhenAll(reads), pragmas => Assert.Equal((1L, 0L), pragmas));
        Assert.Equal((1L, 0L), await database.ReadAsync(connection => PragmasAsync(connection, null), cancellation));
    }

    [Fact]
    public async Task A_statement_is_compiled_once_per_connection_and_one_still_held_is_not_lent_twice()
    {
        await using var database = new PosDatabase(Options.Create(new PosOptions { DataPath = _folder }));
        var cancellation = TestContext.Current.CancellationToken;
        const string Count = "SELECT count(*) FROM orders";
        var compiled = new List<IntPtr>();
        for (var run = 0; run < 3; run++)
        {
            compiled.Add(await database.ReadAsync(
                async connection =>
                {
                    ListStatements(connection);
                    await using (var command = connection.Command(null, Count))
                    {
                        Assert.Equal(0L, await command.ExecuteScalarAsync(cancellation));
                    }

                    return Assert.Single(Statements(connection));
                },
                cancellation));
        }

        Assert.Single(compiled.Distinct());
        var heldTwice = await database.ReadAsync(
            async connection =>
            {
                await using var outer = connection.Command(null, Count);
                await using var outerRows = await outer.ExecuteReaderAsync(cancellation);
                Assert.True(await outerRows.ReadAsync(cancellation));
                await using var inner = connection.Command(null, Count);
                Assert.Equal(0L, await inner.ExecuteScalarAsync(cancellation));
                return Statements(connection).Count;
            },
            cancellation);
        Assert.Equal(2, heldTwice);
    }

    private static async Task<(long Synchronous, long AutoCheckpoint)> PragmasAsync(PosConnection connection, SqliteTransaction? transaction)
    {
        await using var synchronous = connection.Command(transaction, "PRAGMA synchronous");
        await using var autoCheckpoint = connection.Command(transaction, "PRAGMA wal_autocheckpoint");
        var cancellation = TestContext.Current.CancellationToken;
        return ((long)(await synchronous.ExecuteScalarAsync(cancellation))!, (long)(await autoCheckpoint.ExecuteScalarAsync(cancellation))!);
    }

    /// <summary>Lets <see cref="Statements"/> see the statements compiled from now on (SQLitePCL lists only those).</summary>
    private static void ListStatements(PosConnection connection) => connection.Sqlite.Handle!.enable_sqlite3_next_stmt(true);

    /// <summary>The statements compiled on the connection, as SQLite lists them.</summary>
    private static List<IntPtr> Statements(PosConnection connection)
    {
        var statements = new List<IntPtr>();
        for (var statement = raw.sqlite3_next_stmt(connection.Sqlite.Handle, null); statement is not null; statement = raw.sqlite3_next_stmt(connection.Sqlite.Handle, statement))
        {
            statements.Add(statement.DangerousGetHandle());
        }

        return statements;
    }

    [Fact]
    public async Task A_pull_that_left_the_server_before_the_till_deleted_an_order_does_not_bring_it_back()
    {
        var options = Options.Create(new PosOptions { DataPath = _folder });
        await using var database = new PosDatabase(options);
        var mirror = new Mirror(database);
        var orders = new OrderStore(database, TimeProvider.System);
        var order = JsonElement.Parse("""{"id":41,"client_id":null,"type":"takeaway","status":"pending","table_id":null,"created_at":"2026-12-05T20:00:00Z","updated_at":"2026-12-05T20:00:00Z","items":[]}""");
        var page = JsonElement.Parse($$"""{"changes":[{"entity":"orders","id":41,"op":"put","data":{{order.GetRawText()}}}],"cursor":"c1"}""");
        await mirror.ApplyAsync(page, TestContext.Current.CancellationToken);

        await orders.DeleteAsync(new OrderKey(41, null), userId: 7, TestContext.Current.CancellationToken);
        await mirror.ApplyAsync(page, TestContext.Current.CancellationToken);

        var refused = await Assert.ThrowsAsync<PosError>(() => orders.GetAsync(new OrderKey(41, null), TestContext.Current.CancellationToken));
        Assert.Equal(404, refused.Status);
    }

    public void Dispose()
    {
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>The probe as the database file alone has it: a copy of the file without its write-ahead log.</summary>
    private async Task<string?> ProbeInDatabaseFileAsync()
    {
        var copy = Path.Combine(_folder, $"copy-{Guid.NewGuid():N}.db");
        File.Copy(Path.Combine(_folder, "pos.db"), copy);
        try
        {
            await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var read = connection.CreateCommand();
            // Before the first checkpoint even the schema is only in the log.
            read.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'settings'";
            if ((long)(await read.ExecuteScalarAsync(TestContext.Current.CancellationToken))! == 0)
            {
                return null;
            }

            read.CommandText = "SELECT value FROM settings WHERE key = 'probe'";
            return (string?)await read.ExecuteScalarAsync(TestContext.Current.CancellationToken);
        }
        finally
        {
            File.Delete(copy);
            File.Delete(copy + "-wal");
            File.Delete(copy + "-shm");
        }
    }
}
