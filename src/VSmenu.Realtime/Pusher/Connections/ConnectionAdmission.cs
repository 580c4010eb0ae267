using Microsoft.Extensions.Options;

namespace VSmenu.Realtime.Pusher;

/// <summary>What a lease renewal learns: connections on the other live replicas, and the app's switches.</summary>
public sealed record LeaseState(long ConnectionsElsewhere, bool AppEnabled, int ConnectionQuota);

/// <summary>Why a new connection is turned away: a Pusher error code and its message.</summary>
public sealed record Refusal(int Code, string Message);

/// <summary>
/// Decides whether a new connection may join, as Pusher does: the app disabled (4003), the app over its connection
/// quota across all replicas (4004), or this replica over its capacity (4100, clients back off and retry). App switches
/// and other replicas' counts come with each lease renewal, so a decision costs no round trip and may lag it by a few
/// seconds; concurrent connects may overshoot a limit by the few that race.
/// </summary>
public sealed class ConnectionAdmission(IOptions<HubOptions> options)
{
    private volatile LeaseState _state = new(0, AppEnabled: true, ConnectionQuota: 0);

    public void Update(LeaseState state) => _state = state;

    public Refusal? Decide(int connectionsHere)
    {
        var state = _state;
        if (!state.AppEnabled)
        {
            return new Refusal(PusherErrors.ApplicationDisabled, "Application is disabled");
        }

        if (state.ConnectionQuota > 0 && connectionsHere + state.ConnectionsElsewhere >= state.ConnectionQuota)
        {
            return new Refusal(PusherErrors.OverConnectionQuota, "Application is over connection quota");
        }

        return options.Value.MaxConnections > 0 && connectionsHere >= options.Value.MaxConnections
            ? new Refusal(PusherErrors.OverCapacity, "Over capacity")
            : null;
    }
}
