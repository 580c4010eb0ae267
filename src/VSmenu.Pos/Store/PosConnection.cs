using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>
/// One of the terminal's SQLite connections, open for the life of the process, with the statements it has compiled.
/// Microsoft.Data.Sqlite compiles a command's SQL again for each new command (dotnet/efcore#14044); with a connection
/// opened per call, compiling and the opening PRAGMAs were a sixth of the terminal's CPU while it pushed orders one by one.
/// Used by one caller at a time: <see cref="PosDatabase"/> lends it.
/// </summary>
public sealed class PosConnection : IAsyncDisposable
{
    /// <summary>More distinct SQL than the terminal's code has: a bound, should SQL ever be built from values.</summary>
    private const int MostCompiled = 64;

    private readonly Dictionary<string, SqliteCommand> _compiled = new(StringComparer.Ordinal);

    internal PosConnection(SqliteConnection connection) => Sqlite = connection;

    internal SqliteConnection Sqlite { get; }

    /// <summary>
    /// A command for <paramref name="sql"/> in <paramref name="transaction"/>: the one compiled before, unless a caller still
    /// holds it (the same SQL run inside its own reader's loop), which gets a command of its own.
    /// </summary>
    public PosCommand Command(SqliteTransaction? transaction, string sql)
    {
        if (!_compiled.Remove(sql, out var command))
        {
            command = Sqlite.CreateCommand();
            command.CommandText = sql;
        }

        command.Transaction = transaction;
        return new PosCommand(this, command);
    }

    internal void Return(SqliteCommand command)
    {
        command.Parameters.Clear();
        command.Transaction = null;
        if (_compiled.Count >= MostCompiled || !_compiled.TryAdd(command.CommandText, command))
        {
            command.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _compiled.Values)
        {
            await command.DisposeAsync();
        }

        _compiled.Clear();
        await Sqlite.DisposeAsync();
    }
}

/// <summary>A compiled command lent by a <see cref="PosConnection"/>; disposing it gives it back, its parameters cleared.</summary>
public sealed class PosCommand : IAsyncDisposable
{
    private readonly PosConnection _connection;
    private SqliteCommand? _command;

    internal PosCommand(PosConnection connection, SqliteCommand command) => (_connection, _command) = (connection, command);

    private SqliteCommand Lent => _command ?? throw new ObjectDisposedException(nameof(PosCommand));

    public SqliteParameterCollection Parameters => Lent.Parameters;

    public Task<SqliteDataReader> ExecuteReaderAsync(CancellationToken cancellationToken) => Lent.ExecuteReaderAsync(cancellationToken);

    public Task<int> ExecuteNonQueryAsync(CancellationToken cancellationToken) => Lent.ExecuteNonQueryAsync(cancellationToken);

    public Task<object?> ExecuteScalarAsync(CancellationToken cancellationToken) => Lent.ExecuteScalarAsync(cancellationToken);

    /// <summary>
    /// The records the query's first column holds, as one JSON array for the UI: the stored text is copied, not parsed into
    /// nodes and written again (on 1,000 orders that took most of <c>orders:getAll</c>'s time).
    /// </summary>
    public async Task<RawJson> ReadRecordsAsync(CancellationToken cancellationToken)
    {
        var records = RawJson.Array();
        await using var reader = await ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(reader.GetFieldValue<byte[]>(0));
        }

        return records.Build();
    }

    public ValueTask DisposeAsync()
    {
        if (_command is { } command)
        {
            _command = null;
            _connection.Return(command);
        }

        return ValueTask.CompletedTask;
    }
}
