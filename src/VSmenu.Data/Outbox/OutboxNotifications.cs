namespace VSmenu.Data.Outbox;

/// <summary>
/// A trigger on <c>outbox_messages</c> runs <c>NOTIFY</c> on this channel; PostgreSQL delivers it at commit, so the
/// relay wakes the moment new events are visible instead of polling.
/// </summary>
public static class OutboxNotifications
{
    public const string Channel = "vsmenu_outbox";
}
