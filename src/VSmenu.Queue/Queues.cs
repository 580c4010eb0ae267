namespace VSmenu.Queue;

/// <summary>The queues of the spec, in the order a worker serves them: strict priority, <c>high</c> first.</summary>
public static class Queues
{
    public const string High = "high";
    public const string Default = "default";
    public const string Low = "low";

    public static readonly IReadOnlyList<string> ByPriority = [High, Default, Low];
}
