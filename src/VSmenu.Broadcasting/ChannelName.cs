using System.Buffers;

namespace VSmenu.Broadcasting;

public enum ChannelKind
{
    Public,
    Private,
    PrivateEncrypted,
    Presence,
}

/// <summary>Pusher's channel naming rules: the prefix decides the kind; at most 164 characters of a small alphabet.</summary>
public static class ChannelName
{
    public const int MaxLength = 164;

    /// <summary>Pusher's alphabet, by the character: no regex, whose <c>$</c> lets a trailing newline through.</summary>
    private static readonly SearchValues<char> Alphabet = SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-=@,.;");

    public static ChannelKind KindOf(string channel) =>
        channel.StartsWith("private-encrypted-", StringComparison.Ordinal) ? ChannelKind.PrivateEncrypted
        : channel.StartsWith("private-", StringComparison.Ordinal) ? ChannelKind.Private
        : channel.StartsWith("presence-", StringComparison.Ordinal) ? ChannelKind.Presence
        : ChannelKind.Public;

    /// <summary>Where events for one signed-in user go (<c>sendToUser</c>); only that user's connections join it.</summary>
    public const string UserChannelPrefix = "#server-to-user-";

    public static bool IsValid(string channel) => channel.Length is > 0 and <= MaxLength && !channel.AsSpan().ContainsAnyExcept(Alphabet);

    public static string ForUser(string userId) => UserChannelPrefix + userId;

    /// <summary>A channel an event may be triggered on: a valid name, or a signed-in user's channel.</summary>
    public static bool IsTriggerable(string channel) =>
        IsValid(channel) || (channel.StartsWith(UserChannelPrefix, StringComparison.Ordinal) && IsValid(channel[UserChannelPrefix.Length..]));
}
