namespace VSmenu.Realtime.Pusher;

/// <summary>The result of joining a presence channel: refused when full, otherwise whether this is the user's first connection and who is there.</summary>
public sealed record PresenceJoin(bool Refused, bool FirstConnectionOfUser, IReadOnlyList<PresenceMember> Members);

/// <summary>
/// Presence channels' members counted by user, not by connection: a user is added with their first connection
/// and removed with their last, so <c>member_added</c>/<c>member_removed</c> go out once per user.
/// </summary>
public sealed class PresenceRoster
{
    private readonly Dictionary<string, Dictionary<string, (PresenceMember Member, int Connections)>> _channels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public PresenceJoin Join(string channel, PresenceMember member, int maxMembers)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var members))
            {
                _channels[channel] = members = new Dictionary<string, (PresenceMember, int)>(StringComparer.Ordinal);
            }

            var first = !members.TryGetValue(member.UserId, out var existing);
            if (first && members.Count >= maxMembers)
            {
                return new PresenceJoin(Refused: true, FirstConnectionOfUser: false, []);
            }

            members[member.UserId] = (first ? member : existing.Member, existing.Connections + 1);
            return new PresenceJoin(Refused: false, first, members.Values.Select(entry => entry.Member).ToList());
        }
    }

    /// <summary>Removes one connection of the user; true when it was their last, so the others must hear they left.</summary>
    public bool Leave(string channel, string userId)
    {
        lock (_gate)
        {
            if (!_channels.TryGetValue(channel, out var members) || !members.TryGetValue(userId, out var entry))
            {
                return false;
            }

            if (entry.Connections > 1)
            {
                members[userId] = (entry.Member, entry.Connections - 1);
                return false;
            }

            members.Remove(userId);
            if (members.Count == 0)
            {
                _channels.Remove(channel);
            }

            return true;
        }
    }
}
