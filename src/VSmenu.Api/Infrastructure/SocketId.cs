using VSmenu.Broadcasting;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// The Pusher socket id a client sends as <c>X-Socket-ID</c> (as Laravel Echo does), so that the events its own
/// request causes are not echoed back to it (<c>toOthers</c>).
/// </summary>
public static class SocketId
{
    public const string Header = "X-Socket-ID";

    public static string? From(HttpRequest request)
    {
        var value = request.Headers[Header].ToString();
        return PusherSocketId.IsValid(value) ? value : null;
    }
}
