using System.Globalization;
using System.Security.Cryptography;

namespace VSmenu.Broadcasting;

/// <summary>
/// Pusher's signature of an HTTP API request: <c>METHOD\npath\nk=v&amp;…</c> over the query parameters sorted by
/// lowercased name (all but <c>auth_signature</c>, values unescaped), with <c>body_md5</c> for a body.
/// </summary>
public static class PusherRequestSignature
{
    public const string AuthVersion = "1.0";

    /// <summary>How far a request's <c>auth_timestamp</c> may be from the server's clock.</summary>
    public static readonly TimeSpan Tolerance = TimeSpan.FromSeconds(600);

    public static string StringToSign(string method, string path, IEnumerable<KeyValuePair<string, string>> parameters) =>
        $"{method.ToUpperInvariant()}\n{path}\n" + string.Join("&", parameters
            .Where(parameter => !string.Equals(parameter.Key, "auth_signature", StringComparison.OrdinalIgnoreCase))
            .Select(parameter => (Key: parameter.Key.ToLowerInvariant(), parameter.Value))
            .OrderBy(parameter => parameter.Key, StringComparer.Ordinal)
            .Select(parameter => $"{parameter.Key}={parameter.Value}"));

    public static string BodyMd5(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(MD5.HashData(body));

    /// <summary>The query string of a signed request from this app, for clients of the HTTP API (the api).</summary>
    public static string SignedQuery(PusherAppOptions app, string method, string path, IReadOnlyDictionary<string, string> parameters, byte[] body, DateTimeOffset now)
    {
        var signed = new Dictionary<string, string>(parameters, StringComparer.Ordinal)
        {
            ["auth_key"] = app.Key,
            ["auth_timestamp"] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            ["auth_version"] = AuthVersion,
        };
        if (body.Length > 0)
        {
            signed["body_md5"] = BodyMd5(body);
        }

        signed["auth_signature"] = PusherSignature.Sign(app.Secret, StringToSign(method, path, signed));
        return string.Join("&", signed.Select(parameter => $"{Uri.EscapeDataString(parameter.Key)}={Uri.EscapeDataString(parameter.Value)}"));
    }
}
