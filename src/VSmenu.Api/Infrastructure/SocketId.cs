using System.Text.RegularExpressions;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// The Pusher socket id a client sends as <c>X-Socket-ID</c> (as Laravel Echo does), so that the events its own
/// request causes are not echoed back to it (<c>toOthers</c>).
/// </summary>
public static partial class SocketId
{
    public const string Header = "X-Socket-ID";

    public static string? From(HttpRequest request)
    {
        var value = request.Headers[Header].ToString();
        return PusherSocketId().IsMatch(value) ? value : null;
    }

    [GeneratedRegex(@"^\d{1,20}\.\d{1,20}$")]
    private static partial Regex PusherSocketId();
}
