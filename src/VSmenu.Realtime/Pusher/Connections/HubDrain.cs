namespace VSmenu.Realtime.Pusher;

/// <summary>
/// At shutdown, tells every client of this replica to reconnect (4200), which lands it on another replica. It runs in
/// the stopping phase, before any hosted service stops: the web server stops first of them all, and it would wait for
/// the sockets to end until the host's shutdown timeout.
/// </summary>
public sealed class HubDrain(HubConnections connections) : IHostedLifecycleService
{
    public Task StoppingAsync(CancellationToken cancellationToken)
    {
        connections.Drain();
        return Task.CompletedTask;
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
