using Microsoft.Extensions.Options;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Pings connections idle for the activity timeout (<c>pusher:ping</c>) and closes those that stay silent for the pong
/// timeout with 4201, so a vanished client's subscriptions and presence do not linger.
/// </summary>
public sealed class IdleConnections(HubConnections connections, IOptions<HubOptions> options, TimeProvider clock) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var limits = options.Value;
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(limits.ActivityTimeout.TotalSeconds / 10, 0.1, 5)), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var connection in connections.All)
            {
                if (connection.PingedAgo is { } pinged)
                {
                    if (pinged > limits.PongTimeout)
                    {
                        connection.Close(PusherErrors.PongNotReceived, "Pong reply not received in time");
                    }
                }
                else if (connection.IdleFor > limits.ActivityTimeout)
                {
                    connection.Pinged();
                    connection.Send(PusherFrames.Ping());
                }
            }
        }
    }
}
