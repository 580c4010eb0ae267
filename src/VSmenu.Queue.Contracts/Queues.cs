namespace VSmenu.Queue;

/// <summary>
/// The queues, in the order a worker serves them: strict priority, <c>high</c> first, except for a queue's share of slots
/// (the worker's <c>QueueWorkerOptions.Limits</c>). The spec's three, and <c>stock</c> for the stock takes: every order
/// causes one, they all lock the same few rows on a rush of one dish, and a queue of their own gives them a share of the
/// slots, never more (notifications and payments keep flowing beside them) and never less (they keep up with a rush).
/// </summary>
public static class Queues
{
    public const string High = "high";
    public const string Stock = "stock";
    public const string Default = "default";
    public const string Low = "low";

    public static readonly IReadOnlyList<string> ByPriority = [High, Stock, Default, Low];
}
