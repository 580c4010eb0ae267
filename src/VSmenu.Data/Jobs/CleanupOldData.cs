using VSmenu.Queue;

namespace VSmenu.Data.Jobs;

/// <summary>Deletes expired tokens, published outbox rows and failed jobs past their retention.</summary>
[Job(nameof(CleanupOldData), Queue = Queues.Low, Tries = 1, TimeoutSeconds = 600)]
public sealed record CleanupOldData : IJob;
