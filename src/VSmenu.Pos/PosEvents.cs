using VSmenu.Pos.Store;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos;

/// <summary>What the terminal tells its UIs without being asked: the IPC server sends each as a notification to every connection.</summary>
public sealed class PosEvents
{
    public event Func<SyncStatus, Task>? SyncStatusChanged;

    public event Func<OrdersChanged, Task>? OrdersChanged;

    public Task RaiseAsync(SyncStatus status) => SyncStatusChanged?.Invoke(status) ?? Task.CompletedTask;

    public Task RaiseAsync(OrdersChanged orders) => orders.Any ? OrdersChanged?.Invoke(orders) ?? Task.CompletedTask : Task.CompletedTask;
}
