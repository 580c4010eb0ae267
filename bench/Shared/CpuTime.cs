using System.Globalization;

namespace VSmenu.Bench;

/// <summary>The whole machine's CPU time from <c>/proc/stat</c> (Linux; null elsewhere), in seconds.</summary>
internal sealed record CpuTime(double User, double System, double Busy)
{
    public static CpuTime? Read()
    {
        if (!File.Exists("/proc/stat"))
        {
            return null;
        }

        // cpu user nice system idle iowait irq softirq steal ...: in clock ticks of 1/100 s.
        var ticks = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Take(8)
            .Select(value => double.Parse(value, CultureInfo.InvariantCulture) / 100).ToArray();
        return new CpuTime(ticks[0] + ticks[1], ticks[2] + ticks[5] + ticks[6], ticks.Sum() - ticks[3] - ticks[4]);
    }

    /// <summary>
    /// Waits until the machine's cores were busy under <paramref name="busyShare"/> of their time over one second, for at
    /// most <paramref name="patience"/>; returns the last second's share.
    /// </summary>
    public static async Task<double> WaitForRestAsync(double busyShare, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        for (; ; )
        {
            var before = Read();
            await Task.Delay(TimeSpan.FromSeconds(1));
            var share = (Read() - before)?.Busy / Environment.ProcessorCount ?? 0;
            if (share < busyShare || DateTime.UtcNow >= deadline)
            {
                return share;
            }
        }
    }

    public static CpuTime? operator -(CpuTime? after, CpuTime? before) =>
        after is null || before is null ? null : new(after.User - before.User, after.System - before.System, after.Busy - before.Busy);
}
