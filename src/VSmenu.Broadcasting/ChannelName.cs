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

    public static bool IsValid(string channel) => channel.Length is > 0 and <= MaxLength && Allowed().IsMatch(channel);

    [GeneratedRegex("^[A-Za-z0-9_\\-=@,.;]+$")]
    private static partial Regex Allowed();
}
