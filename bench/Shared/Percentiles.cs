namespace VSmenu.Bench;

/// <summary>The nearest-rank percentile every benchmark prints (compiled into each bench project).</summary>
internal static class Percentiles
{
    public static double Of(double[] sorted, double quantile) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(quantile * sorted.Length) - 1, 0, sorted.Length - 1)];
}
