// bench/pos-store.sh: the local part of one orders:create (OrderStore.CreateAsync: the menu lookup, the order and its
// mutation in one SQLite transaction), timed on one thread back to back and after pauses, with nothing of VSmenu running.
// A pause spent spinning keeps the thread on its core, so what it adds is what the machine did to the terminal's code and
// data meanwhile; a 4 MiB walk of memory is timed the same way beside it.
using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.Options;
using VSmenu.Bench;
using VSmenu.Pos;
using VSmenu.Pos.Store;

var creates = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 300;
var folder = Directory.CreateTempSubdirectory("vsmenu-pos-store-");
try
{
    await using var database = new PosDatabase(Options.Create(new PosOptions { DataPath = folder.FullName }));
    await database.WriteAsync(async (connection, transaction) =>
    {
        await using var product = connection.Command(transaction, "INSERT INTO records (entity, id, data) VALUES ('products', 1, $data)");
        product.Parameters.AddWithValue("$data", """{"id":1,"name":"X-Burger","price":25.90,"is_available":true}""");
        return await product.ExecuteNonQueryAsync(CancellationToken.None);
    }, CancellationToken.None);
    var store = new OrderStore(database, TimeProvider.System);
    using var order = JsonDocument.Parse("""{"type":"takeaway","customer_id":1,"items":[{"product_id":1,"quantity":2}]}""");
    Action create = () => store.CreateAsync(order.RootElement, userId: 1, CancellationToken.None).GetAwaiter().GetResult();
    var memory = new byte[4 << 20];
    Action walk = () => Walk(memory);

    Time(create, creates, Pause.None);
    Console.WriteLine($"OrderStore.CreateAsync, {creates} on one thread (after as many not timed), and a walk of 4 MiB (a byte every 64) beside it:");
    foreach (var pause in new[] { Pause.None, Pause.Spin(5), Pause.Spin(50), Pause.Sleep(100) })
    {
        var created = Time(create, creates, pause);
        await database.CheckpointAsync(CancellationToken.None);
        var walked = Time(walk, creates, pause);
        Console.WriteLine($"  {pause.Name,-34} create p50 {created.P50:0.000} ms, p99 {created.P99:0.000} ms   walk p50 {walked.P50:0.000} ms");
    }
}
finally
{
    folder.Delete(recursive: true);
}

static (double P50, double P99) Time(Action work, int times, Pause pause)
{
    var took = new double[times];
    for (var i = 0; i < times; i++)
    {
        var started = Stopwatch.GetTimestamp();
        work();
        took[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        pause.Wait();
    }

    Array.Sort(took);
    return (Percentiles.Of(took, 0.5), Percentiles.Of(took, 0.99));
}

static void Walk(byte[] memory)
{
    var sum = 0;
    for (var i = 0; i < memory.Length; i += 64)
    {
        sum += memory[i];
    }

    GC.KeepAlive(sum);
}

/// <summary>What the thread does between two timed calls: nothing, spin on its core, or sleep (the bench's 10 a second).</summary>
internal sealed record Pause(string Name, TimeSpan Length, bool Spins)
{
    public static readonly Pause None = new("back to back", TimeSpan.Zero, Spins: false);

    public static Pause Spin(int milliseconds) => new($"{milliseconds} ms spinning between calls", TimeSpan.FromMilliseconds(milliseconds), Spins: true);

    public static Pause Sleep(int milliseconds) => new($"{milliseconds} ms asleep between calls", TimeSpan.FromMilliseconds(milliseconds), Spins: false);

    public void Wait()
    {
        if (Length == TimeSpan.Zero)
        {
            return;
        }

        if (!Spins)
        {
            Thread.Sleep(Length);
            return;
        }

        var until = Stopwatch.GetTimestamp() + (long)(Length.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
        }
    }
}
