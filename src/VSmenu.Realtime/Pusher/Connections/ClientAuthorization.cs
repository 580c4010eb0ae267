using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.Pusher;

/// <summary>
/// Checks what clients bring from the app's auth endpoints: an <c>auth</c> of this app's key and the secret's signature
/// of the socket and what the client claims (a private or presence channel, a user).
/// </summary>
public sealed class ClientAuthorization(IOptions<PusherAppOptions> appOptions)
{
    private readonly PusherAppOptions _app = appOptions.Value;

    public bool IsAppKey(string key) => key == _app.Key;

    /// <summary>Public channels need nothing; private ones the socket and channel signed, presence ones the <c>channel_data</c> too.</summary>
    public bool MaySubscribe(string socketId, string channel, SubscribeMessage subscribe) => ChannelName.KindOf(channel) switch
    {
        ChannelKind.Public => true,
        ChannelKind.Presence => IsSigned(subscribe.Auth, PusherSignature.ChannelStringToSign(socketId, channel, subscribe.ChannelData)),
        _ => IsSigned(subscribe.Auth, PusherSignature.ChannelStringToSign(socketId, channel, null)),
    };

    public bool MaySignIn(string socketId, SignInMessage signIn) =>
        signIn.UserData is not null && IsSigned(signIn.Auth, PusherSignature.UserStringToSign(socketId, signIn.UserData));

    private bool IsSigned(string? auth, string stringToSign)
    {
        var prefix = _app.Key + ":";
        return auth is not null
               && auth.StartsWith(prefix, StringComparison.Ordinal)
               && PusherSignature.Verify(_app.Secret, stringToSign, auth[prefix.Length..]);
    }
}
