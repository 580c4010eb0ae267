using System.Threading.Channels;
using StreamJsonRpc;

namespace VSmenu.Pos.Ipc;

/// <summary>
/// One UI's connection and the notifications still to be written to it, in the order raised, by one sender of its own: a
/// UI that stops reading fills its socket and then this queue, and holds up nothing else. Past
/// <see cref="UnsentLimit"/> it is not coming back (frozen, or paused in a debugger), and the terminal closes it; a UI
/// that connects again reads the state with a call, as after any disconnect.
/// </summary>
internal sealed class UiConnection
{
    public const int UnsentLimit = 256;

    private readonly Channel<(string Method, object Argument)> _unsent =
        Channel.CreateBounded<(string, object)>(new BoundedChannelOptions(UnsentLimit) { SingleReader = true });

    private volatile bool _closed;

    public UiConnection(JsonRpc rpc)
    {
        Rpc = rpc;
        rpc.Disconnected += (_, _) =>
        {
            _closed = true;
            _unsent.Writer.TryComplete();
        };
        _ = SendAsync();
    }

    public JsonRpc Rpc { get; }

    /// <summary>False when the UI has left <see cref="UnsentLimit"/> notifications unread; a closed connection is owed none.</summary>
    public bool TryNotify(string method, object argument) => _closed || _unsent.Writer.TryWrite((method, argument));

    /// <summary>Ends with the connection, and ends it if a notification cannot be sent: a UI left without them would show stale orders.</summary>
    private async Task SendAsync()
    {
        try
        {
            await foreach (var (method, argument) in _unsent.Reader.ReadAllAsync())
            {
                await Rpc.NotifyWithParameterObjectAsync(method, argument);
            }
        }
        catch (Exception gone) when (gone is ConnectionLostException or ObjectDisposedException or IOException)
        {
            // The UI went away or was closed for not reading: what it was still owed goes with it.
        }
        finally
        {
            Rpc.Dispose();
        }
    }
}
