using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace VSmenu.Realtime.Pusher;

/// <summary>This replica's open connections, by socket and by client address, and whether it has begun to drain them.</summary>
public sealed class HubConnections(IOptions<HubOptions> options, HubMetrics metrics)
{
    public const string RestartingMessage = "Server is restarting; reconnect";

    /// <summary>Orders joining against draining: a connection either joins before the drain, which then closes it, or is refused.</summary>
    private readonly Lock _drainGate = new();
    private bool _draining;

    private readonly ConcurrentDictionary<string, PusherConnection> _connections = new(StringComparer.Ordinal);

    /// <summary>Open connections per client address; an address leaves when its last connection closes.</summary>
    private readonly ConcurrentDictionary<string, int> _connectionsByAddress = new(StringComparer.Ordinal);

    public ICollection<PusherConnection> All => _connections.Values;

    public int Count => _connections.Count;

    /// <summary>Adds a connection, unless this replica is draining: then it is not added, and the caller closes it.</summary>
    public bool TryAdd(PusherConnection connection)
    {
        lock (_drainGate)
        {
            if (_draining)
            {
                return false;
            }

            _connections[connection.SocketId] = connection;
        }

        metrics.Connections.Add(1);
        return true;
    }

    /// <summary>
    /// Tells every connection to reconnect (elsewhere) and refuses any that joins later: a socket still in its handshake
    /// when shutdown begins would otherwise stay open and hold the host's shutdown until its timeout.
    /// </summary>
    public void Drain()
    {
        lock (_drainGate)
        {
            _draining = true;
        }

        foreach (var connection in _connections.Values)
        {
            connection.Close(PusherErrors.Reconnect, RestartingMessage);
        }
    }

    public void Remove(PusherConnection connection)
    {
        if (_connections.TryRemove(connection.SocketId, out _))
        {
            metrics.Connections.Add(-1);
        }
    }

    /// <summary>Counts one more connection from <paramref name="address"/>, unless it already has its maximum.</summary>
    public bool TryAdmitFrom(string address)
    {
        var count = _connectionsByAddress.AddOrUpdate(address, 1, (_, current) => current + 1);
        var limit = options.Value.MaxConnectionsPerAddress;
        if (limit <= 0 || count <= limit)
        {
            return true;
        }

        ReleaseFrom(address);
        return false;
    }

    public void ReleaseFrom(string address)
    {
        while (true)
        {
            var count = _connectionsByAddress[address];
            if (count == 1 ? _connectionsByAddress.TryRemove(KeyValuePair.Create(address, 1)) : _connectionsByAddress.TryUpdate(address, count - 1, count))
            {
                return;
            }
        }
    }

    /// <summary>Closes this replica's connections of a signed-in user.</summary>
    public void TerminateUser(string userId)
    {
        foreach (var connection in _connections.Values.Where(connection => connection.UserId == userId))
        {
            connection.Close(PusherErrors.Unauthorized, "Connection terminated by the server");
        }
    }
}
