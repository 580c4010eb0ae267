using System.Globalization;
using Npgsql;

namespace VSmenu.Bench.Api;

/// <summary>
/// PostgreSQL's own account of a phase (<c>pg_stat_statements</c>, which the local server preloads): the statements that
/// took the most time, with their calls and mean time per request of the phase.
/// </summary>
internal sealed class StatementProfile(string connectionString)
{
    public async Task ResetAsync()
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("CREATE EXTENSION IF NOT EXISTS pg_stat_statements; SELECT pg_stat_statements_reset();", connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The <paramref name="top"/> statements by total time, as calls and milliseconds per one of <paramref name="requests"/>.</summary>
    public async Task PrintAsync(string phase, long requests, int top = 10)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, mean_exec_time, regexp_replace(query, '\s+', ' ', 'g')
            FROM pg_stat_statements WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
            ORDER BY total_exec_time DESC LIMIT $1
            """, connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = top });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  PostgreSQL during {phase}, per request ({requests} requests): calls, ms executing, mean ms, statement"));
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var statement = reader.GetString(3);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"    {reader.GetInt64(0) / (double)requests,5:0.00} {reader.GetDouble(1) / requests,7:0.000} {reader.GetDouble(2),7:0.000}  {(statement.Length > 110 ? statement[..110] + "…" : statement)}"));
        }
    }
}
