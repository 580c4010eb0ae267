using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;

namespace VSmenu.Bench.Api;

/// <summary>
/// pgbench on the topology's PostgreSQL, running the SQL that <c>POST /api/v1/orders</c> commits (an order, three
/// items, two outbox rows, in one transaction): the database's own ceiling for the API to be compared with.
/// </summary>
internal static partial class Pgbench
{
    public static async Task<double> RunAsync(string connectionString, long tenantId, long customerId, long[] productIds, int clients, TimeSpan duration)
    {
        const string Payload = """{"order":{"id":1}}""";
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var script = Path.GetTempFileName();
        await File.WriteAllTextAsync(script, $$"""
            BEGIN;
            SELECT nextval('orders_hilo') AS order_id \gset
            INSERT INTO orders (id, tenant_id, type, status, customer_id, total, created_at, updated_at)
                VALUES (:order_id, {{tenantId}}, 'takeaway', 'pending', {{customerId}}, 51.00, now(), now());
            INSERT INTO order_items (id, tenant_id, order_id, product_id, product_name, quantity, price, subtotal, created_at, updated_at) VALUES
                (nextval('order_items_hilo'), {{tenantId}}, :order_id, {{productIds[0]}}, 'A', 1, 17.00, 17.00, now(), now()),
                (nextval('order_items_hilo'), {{tenantId}}, :order_id, {{productIds[1]}}, 'B', 1, 17.00, 17.00, now(), now()),
                (nextval('order_items_hilo'), {{tenantId}}, :order_id, {{productIds[2]}}, 'C', 1, 17.00, 17.00, now(), now());
            INSERT INTO outbox_messages (tenant_id, channel, event, payload, created_at) VALUES
                ({{tenantId}}, 'private-orders.{{tenantId}}', 'order.created', '{{Payload}}', now()),
                ({{tenantId}}, 'private-kitchen.{{tenantId}}', 'order.created', '{{Payload}}', now());
            COMMIT;
            """);

        var start = new ProcessStartInfo(FindPgbench())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "-h", connection.Host!, "-p", connection.Port.ToString(CultureInfo.InvariantCulture), "-U", connection.Username!,
                "-n", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture),
                "-T", ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture), "-f", script, connection.Database!,
            },
        };
        if (connection.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        File.Delete(script);
        var tps = Tps().Match(output);
        return process.ExitCode == 0 && tps.Success
            ? double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output}{errors}");
    }

    private static string FindPgbench() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(dir => Path.Combine(dir, "pgbench")).FirstOrDefault(File.Exists)
        ?? Directory.GetDirectories("/usr/lib/postgresql").OrderDescending().Select(dir => Path.Combine(dir, "bin", "pgbench")).FirstOrDefault(File.Exists)
        ?? throw new FileNotFoundException("pgbench was not found on PATH or under /usr/lib/postgresql/*/bin.");

    [GeneratedRegex(@"tps = ([0-9.]+) \(without initial connection time\)")]
    private static partial Regex Tps();
}
