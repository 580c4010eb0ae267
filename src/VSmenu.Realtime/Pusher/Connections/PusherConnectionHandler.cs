using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// One client's connection from handshake to close (protocol 5 to 7): the app key, protocol and admission checks, the
/// read loop that hands each message, typed by <see cref="PusherProtocol"/>, to what handles it, and the clean-up when
/// the client goes.
/// </summary>
public sealed class PusherConnectionHandler(
    HubConnections connections,
    ChannelSubscriptions subscriptions,
    ClientEvents clientEvents,
    ClientAuthorization authorization,
    ConnectionAdmission admission,
    IOptions<HubOptions> hubOptions,
    TimeProvider clock,
    HubMetrics metrics)
{
    private static readonly string[] SupportedProtocols = ["5", "6", "7"];

    private readonly HubOptions _options = hubOptions.Value;

    public async Task RunAsync(HttpContext context, string key)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        await using var connection = new PusherConnection(
            PusherSocketId.Create(), socket, _options, clock, context.Features.Get<TransportActivity>(), context.RequestAborted);
        var writing = connection.WriteAsync(connection.Lifetime.Token);
        var protocol = context.Request.Query["protocol"].ToString();
        if (!authorization.IsAppKey(key))
        {
            connection.Close(PusherErrors.ApplicationDoesNotExist, "Application does not exist");
        }
        else if (protocol.Length > 0 && !SupportedProtocols.Contains(protocol))
        {
            connection.Close(PusherErrors.UnsupportedProtocol, "Unsupported protocol version");
        }
        else if (admission.Decide(connections.Count) is { } refusal)
        {
            connection.Close(refusal.Code, refusal.Message);
        }
        else if (context.Connection.RemoteIpAddress?.ToString() is not { } address || !connections.TryAdmitFrom(address))
        {
            connection.Close(PusherErrors.OverCapacity, "Over capacity: too many connections from one address");
        }
        else
        {
            try
            {
                await ServeAsync(connection, socket, connection.Lifetime.Token);
            }
            finally
            {
                connections.ReleaseFrom(address);
            }
        }

        await writing;
        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
    }

    private async Task ServeAsync(PusherConnection connection, WebSocket socket, CancellationToken cancellationToken)
    {
        if (!connections.TryAdd(connection))
        {
            connection.Close(PusherErrors.Reconnect, HubConnections.RestartingMessage);
            return;
        }

        connection.Send(PusherFrames.ConnectionEstablished(connection.SocketId, _options.ActivityTimeout));
        try
        {
            while (await ReceiveAsync(socket, cancellationToken) is { } message)
            {
                connection.Heard();
                metrics.MessagesReceived.Add(1);
                if (message.TooLarge)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Maximum message size exceeded", CancellationToken.None);
                    break;
                }

                await HandleAsync(connection, PusherProtocol.Parse(message.Text));
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            // The client vanished without a close frame: clean up as for a close.
        }
        finally
        {
            await subscriptions.UnsubscribeAllAsync(connection);
            connections.Remove(connection);
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// Waits for the next message without a buffer (a zero-byte read: an idle socket, which most are, holds no receive
    /// buffer), then reads it into a pooled one: its text (null for a binary message), too large when it exceeds
    /// <see cref="HubOptions.MaxFrameBytes"/>, or null when the client closed.
    /// </summary>
    private async Task<ReceivedMessage?> ReceiveAsync(WebSocket socket, CancellationToken cancellationToken)
    {
        var result = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
        if (result.MessageType == WebSocketMessageType.Close)
        {
            return null;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(_options.MaxFrameBytes);
        try
        {
            var count = 0;
            while (!result.EndOfMessage)
            {
                if (count >= _options.MaxFrameBytes)
                {
                    return new ReceivedMessage(null, TooLarge: true);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(count, _options.MaxFrameBytes - count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                count += result.Count;
            }

            return new ReceivedMessage(result.MessageType == WebSocketMessageType.Binary ? null : Encoding.UTF8.GetString(buffer, 0, count), TooLarge: false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private readonly record struct ReceivedMessage(string? Text, bool TooLarge);

    private async Task HandleAsync(PusherConnection connection, ClientMessage message)
    {
        switch (message)
        {
            case PingMessage:
                connection.Send(PusherFrames.Pong());
                break;
            case PongMessage:
                break;
            case SignInMessage signIn:
                SignIn(connection, signIn);
                break;
            case SubscribeMessage subscribe:
                await subscriptions.SubscribeAsync(connection, subscribe);
                break;
            case UnsubscribeMessage { Channel: { } channel }:
                await subscriptions.UnsubscribeAsync(connection, channel);
                break;
            case UnsubscribeMessage:
                break;
            case ClientEventMessage clientEvent:
                await clientEvents.RelayAsync(connection, clientEvent);
                break;
            case UnsupportedMessage unsupported:
                connection.Send(PusherFrames.Error(null, $"Unsupported event {PusherFrames.Clip(unsupported.Event)}"));
                break;
            default:
                connection.Send(PusherFrames.Error(null, "Invalid message format: expected a JSON object with an event"));
                break;
        }
    }

    /// <summary>
    /// User authentication: a signed <c>user_data</c> with a non-empty string <c>id</c> binds the connection to that
    /// user (once), for send-to-user and terminate; anything else is closed with 4009.
    /// </summary>
    private void SignIn(PusherConnection connection, SignInMessage signIn)
    {
        if (PusherProtocol.UserIdOf(signIn.UserData) is not { } userId || !authorization.MaySignIn(connection.SocketId, signIn)
            || (connection.UserId is not null && connection.UserId != userId))
        {
            connection.Close(PusherErrors.Unauthorized, "Sign-in refused: the signature does not match or user_data has no id");
            return;
        }

        connection.SignIn(userId);
        connection.Send(PusherFrames.SignedIn(signIn.UserData!));
    }
}
