using System.Collections.Concurrent;

namespace VSmenu.Realtime.Pusher;

/// <summary>Which of this replica's connections joined each channel: what a broadcast is delivered to here.</summary>
public sealed class LocalChannels
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, PusherConnection>> _channels = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public int Count => _channels.Count;

    public void Join(string channel, PusherConnection connection)
    {
        lock (_gate)
        {
            _channels.GetOrAdd(channel, _ => new ConcurrentDictionary<string, PusherConnection>(StringComparer.Ordinal))[connection.SocketId] = connection;
        }
    }

    public void Leave(string channel, PusherConnection connection)
    {
        lock (_gate)
        {
            if (_channels.TryGetValue(channel, out var members) && members.TryRemove(connection.SocketId, out _) && members.IsEmpty)
            {
                _channels.TryRemove(channel, out _);
            }
        }
    }

    public ICollection<PusherConnection> Members(string channel) =>
        _channels.TryGetValue(channel, out var members) ? members.Values : [];
}
