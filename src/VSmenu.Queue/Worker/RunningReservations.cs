using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace VSmenu.Queue.Worker;

/// <summary>
/// This worker process and the attempts it holds: the slots add and remove them, the heartbeat renews their leases and
/// marks those another worker took back.
/// </summary>
internal sealed class RunningReservations
{
    private readonly ConcurrentDictionary<string, Reservation> _running = new();

    /// <summary>This process's name in the <c>workers</c> set and in every reservation it holds.</summary>
    public string WorkerId { get; } = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";

    public void Add(Reservation reservation) => _running[reservation.Member] = reservation;

    public void Remove(Reservation reservation) => _running.TryRemove(reservation.Member, out _);

    public IReadOnlyList<Reservation> All => [.. _running.Values];

    public bool TryGet(string member, [NotNullWhen(true)] out Reservation? reservation) => _running.TryGetValue(member, out reservation);
}
