using System.Buffers;
using System.Security.Cryptography;

namespace VSmenu.Broadcasting;

/// <summary>Socket ids as Pusher issues them: two integers joined by a dot, unguessable so they cannot be excluded by others.</summary>
public static class PusherSocketId
{
    private const int MaxDigits = 20;

    private static readonly SearchValues<char> Digits = SearchValues.Create("0123456789");

    /// <summary>
    /// ASCII digits only, and nothing after them: no regex, whose <c>\d</c> takes any script's digits and whose <c>$</c>
    /// lets a trailing newline through.
    /// </summary>
    public static bool IsValid(string? socketId) =>
        socketId is not null && socketId.IndexOf('.') is var dot and > 0
        && IsNumber(socketId.AsSpan(0, dot)) && IsNumber(socketId.AsSpan(dot + 1));

    private static bool IsNumber(ReadOnlySpan<char> part) => part.Length is > 0 and <= MaxDigits && !part.ContainsAnyExcept(Digits);

    public static string Create() =>
        $"{RandomNumberGenerator.GetInt32(1, int.MaxValue)}.{RandomNumberGenerator.GetInt32(1, int.MaxValue)}";
}
