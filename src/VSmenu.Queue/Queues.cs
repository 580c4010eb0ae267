namespace VSmenu.Queue;

/// <summary>
/// The queues, in the order a worker serves them: strict priority, <c>high</c> first. The spec's three, and
/// <c>stock</c> for the stock takes: every order causes one, they all lock the same few rows on a rush of one dish, and a
/// queue of their own lets the worker cap the slots they hold (<see cref="Worker.QueueWorkerOptions.Limits"/>) so that
/// notifications and payments keep flowing behind them.
/// </summary>
public static class Queues
{
    public const string High = "high";
    public const string Stock = "stock";
    public const string Default = "default";
    public const string Low = "low";

    public static readonly IReadOnlyList<string> ByPriority = [High, Stock, Default, Low];
}
