namespace VSmenu.Queue.Worker;

/// <summary>
/// Wakes every idle slot at once. A slot takes <see cref="Next"/> before it looks at the queues, so a push between its
/// look and its wait still wakes it.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Next => Volatile.Read(ref _next).Task;

    public void Set() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
