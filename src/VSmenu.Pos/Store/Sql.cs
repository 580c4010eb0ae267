using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace VSmenu.Pos.Store;

/// <summary>The two steps every store of the terminal repeats: a command in the caller's transaction, and records read as JSON.</summary>
internal static class Sql
{
    /// <summary>The records a query's first column holds (their JSON), as one array for the UI.</summary>
    internal static async Task<JsonArray> ReadRecordsAsync(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new JsonArray();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(JsonNode.Parse(reader.GetString(0)));
        }

        return records;
    }

    internal static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }
}
