using System.Security.Cryptography;
using System.Text;

namespace VSmenu.Broadcasting;

/// <summary>HMAC-SHA256 signatures exactly as Pusher computes them: lowercase hex of the secret's MAC over a string.</summary>
public static class PusherSignature
{
    public static string Sign(string secret, string stringToSign) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(stringToSign)));

    /// <summary>Compares in constant time, so the time taken does not tell how much of a forged signature was right.</summary>
    public static bool Verify(string secret, string stringToSign, string signature) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(secret, stringToSign)), Encoding.ASCII.GetBytes(signature));

    /// <summary>What a channel's subscriber signs: <c>socket_id:channel</c>, plus <c>:channel_data</c> on presence channels.</summary>
    public static string ChannelStringToSign(string socketId, string channel, string? channelData) =>
        channelData is null ? $"{socketId}:{channel}" : $"{socketId}:{channel}:{channelData}";

    /// <summary>What a user sign-in signs: <c>socket_id::user::user_data</c>.</summary>
    public static string UserStringToSign(string socketId, string userData) => $"{socketId}::user::{userData}";

    /// <summary>The <c>auth</c> value of a user sign-in: <c>key:signature</c>.</summary>
    public static string UserAuth(PusherAppOptions app, string socketId, string userData) =>
        $"{app.Key}:{Sign(app.Secret, UserStringToSign(socketId, userData))}";

    /// <summary>The <c>auth</c> value of a subscription: <c>key:signature</c>.</summary>
    public static string ChannelAuth(PusherAppOptions app, string socketId, string channel, string? channelData) =>
        $"{app.Key}:{Sign(app.Secret, ChannelStringToSign(socketId, channel, channelData))}";
}
