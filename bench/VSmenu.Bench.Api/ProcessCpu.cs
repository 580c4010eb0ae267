using System.Globalization;

namespace VSmenu.Bench.Api;

/// <summary>
/// CPU seconds of every process on the machine, summed by name (<c>/proc/[pid]/stat</c>'s <c>comm</c>: a .NET service's
/// assembly name, <c>postgres</c> for every PostgreSQL backend): where the cores went while the load ran. A process that
/// ended before the second reading is not counted (pgbench's own connections, say). Empty off Linux.
/// </summary>
internal sealed class ProcessCpu
{
    private const double TicksPerSecond = 100;

    private readonly Dictionary<string, double> _seconds;

    private ProcessCpu(Dictionary<string, double> seconds) => _seconds = seconds;

    public static ProcessCpu Read()
    {
        var seconds = new Dictionary<string, double>();
        if (!Directory.Exists("/proc"))
        {
            return new ProcessCpu(seconds);
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out _))
            {
                continue;
            }

            try
            {
                // pid (comm) state ppid ... utime stime: the name may hold spaces, so the fields are counted after its ')'.
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                var open = stat.IndexOf('(', StringComparison.Ordinal);
                var close = stat.LastIndexOf(')');
                var fields = stat[(close + 2)..].Split(' ');
                var name = NameOf(stat[(open + 1)..close]);
                var ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                seconds[name] = seconds.GetValueOrDefault(name) + ticks / TicksPerSecond;
            }
            catch (IOException)
            {
                // The process ended between the listing and the read.
            }
        }

        return new ProcessCpu(seconds);
    }

    /// <summary>The kernel's workers rename themselves by the work they pick up (<c>kworker/1:2-events</c>): one name for all.</summary>
    private static string NameOf(string comm) => comm.StartsWith("kworker", StringComparison.Ordinal) ? "kworker" : comm;

    /// <summary>CPU seconds each name took since <paramref name="before"/>, largest first (a process begun since counts whole).</summary>
    public IReadOnlyList<(string Name, double Seconds)> Since(ProcessCpu before) =>
        [.. _seconds.Select(process => (process.Key, process.Value - before._seconds.GetValueOrDefault(process.Key)))
            .Where(process => process.Item2 > 0)
            .OrderByDescending(process => process.Item2)];
}
