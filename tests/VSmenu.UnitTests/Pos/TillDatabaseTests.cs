using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
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
        var database = new PosDatabase(options);
        await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var insert = connection.CreateCommand();
                insert.Transaction = transaction;
                insert.CommandText = "INSERT INTO settings (key, value) VALUES ('probe', 'written')";
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
    public async Task Every_connection_handed_out_new_or_again_from_the_pool_has_the_till_s_pragmas()
    {
        var database = new PosDatabase(Options.Create(new PosOptions { DataPath = _folder }));
        var cancellation = TestContext.Current.CancellationToken;
        await using var held = await database.OpenAsync(cancellation);
        for (var open = 0; open < 3; open++)
        {
            await using var connection = await database.OpenAsync(cancellation);
            Assert.Equal((1L, 0L), (await PragmaAsync(connection, "synchronous"), await PragmaAsync(connection, "wal_autocheckpoint")));
        }

        Assert.Equal((1L, 0L), (await PragmaAsync(held, "synchronous"), await PragmaAsync(held, "wal_autocheckpoint")));
    }

    private static async Task<long> PragmaAsync(SqliteConnection connection, string name)
    {
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = $"PRAGMA {name}";
        return (long)(await pragma.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    [Fact]
    public async Task A_pull_that_left_the_server_before_the_till_deleted_an_order_does_not_bring_it_back()
    {
        var options = Options.Create(new PosOptions { DataPath = _folder });
        var database = new PosDatabase(options);
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
        SqliteConnection.ClearAllPools();
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
