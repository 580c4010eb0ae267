using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace VSmenu.Broadcasting;

/// <summary>Socket ids as Pusher issues them: two integers joined by a dot, unguessable so they cannot be excluded by others.</summary>
public static partial class PusherSocketId
{
    public static bool IsValid(string? socketId) => socketId is not null && Pattern().IsMatch(socketId);

    public static string Create() =>
        $"{RandomNumberGenerator.GetInt32(1, int.MaxValue)}.{RandomNumberGenerator.GetInt32(1, int.MaxValue)}";

    [GeneratedRegex(@"^\d{1,20}\.\d{1,20}$")]
    private static partial Regex Pattern();
}
