using System.Text.RegularExpressions;

namespace VSmenu.Broadcasting;

public enum ChannelKind
{
    Public,
    Private,
    PrivateEncrypted,
    Presence,
}

/// <summary>Pusher's channel naming rules: the prefix decides the kind; at most 164 characters of a small alphabet.</summary>
public static partial class ChannelName
{
    public const int MaxLength = 164;

    public static ChannelKind KindOf(string channel) =>
        channel.StartsWith("private-encrypted-", StringComparison.Ordinal) ? ChannelKind.PrivateEncrypted
        : channel.StartsWith("private-", StringComparison.Ordinal) ? ChannelKind.Private
        : channel.StartsWith("presence-", StringComparison.Ordinal) ? ChannelKind.Presence
        : ChannelKind.Public;

    /// <summary>Where events for one signed-in user go (<c>sendToUser</c>); only that user's connections join it.</summary>
    public const string UserChannelPrefix = "#server-to-user-";

    public static bool IsValid(string channel) => channel.Length is > 0 and <= MaxLength && Allowed().IsMatch(channel);

    public static string ForUser(string userId) => UserChannelPrefix + userId;

    /// <summary>A channel an event may be triggered on: a valid name, or a signed-in user's channel.</summary>
    public static bool IsTriggerable(string channel) =>
        IsValid(channel) || (channel.StartsWith(UserChannelPrefix, StringComparison.Ordinal) && IsValid(channel[UserChannelPrefix.Length..]));

    [GeneratedRegex("^[A-Za-z0-9_\\-=@,.;]+$")]
    private static partial Regex Allowed();
}
