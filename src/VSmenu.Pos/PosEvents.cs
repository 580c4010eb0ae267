using VSmenu.Pos.Store;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos;

/// <summary>
/// What the terminal tells its UIs without being asked: the IPC server queues each as a notification for every connection.
/// Raising one never waits for a UI, so a UI that stops reading holds up neither a call nor the sync.
/// </summary>
public sealed class PosEvents
{
    public event Action<SyncStatus>? SyncStatusChanged;

    public event Action<OrdersChanged>? OrdersChanged;

    public void Raise(SyncStatus status) => SyncStatusChanged?.Invoke(status);

    public void Raise(OrdersChanged orders)
    {
        if (orders.Any)
        {
            OrdersChanged?.Invoke(orders);
        }
    }
}
