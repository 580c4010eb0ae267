using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>The two steps every store of the terminal repeats: a command in the caller's transaction, and records read as JSON.</summary>
internal static class Sql
{
    /// <summary>
    /// The records a query's first column holds, as one JSON array for the UI: the stored text is copied, not parsed into
    /// nodes and written again (on 1,000 orders that took most of <c>orders:getAll</c>'s time).
    /// </summary>
    internal static async Task<RawJson> ReadRecordsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = RawJson.Array();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(reader.GetFieldValue<byte[]>(0));
        }

        return records.Build();
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
