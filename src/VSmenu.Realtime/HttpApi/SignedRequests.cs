using System.Globalization;
using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;

namespace VSmenu.Realtime.HttpApi;

/// <summary>
/// Lets through only HTTP API requests signed with this app's secret, as Pusher checks them: the app id (404), key,
/// a timestamp within ±600 s, the body's MD5 recomputed from the body, and the signature compared in constant time (401).
/// </summary>
internal sealed class SignedRequests(RequestDelegate next, IOptions<PusherAppOptions> options, TimeProvider clock)
{
    public const long MaxBodyBytes = 256 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        var app = options.Value;
        var request = context.Request;
        var segments = request.Path.Value!.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 2 || segments[1] != app.AppId)
        {
            await RefuseAsync(context, StatusCodes.Status404NotFound, "Unknown app");
            return;
        }

        var body = await ReadBodyAsync(context);
        if (body is null)
        {
            await RefuseAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request bodies are at most {MaxBodyBytes} bytes");
            return;
        }

        if (JsonPropertyNames.FindRepeated(body) is { } repeated)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, $"The property \"{repeated}\" appears more than once in one JSON object");
            return;
        }

        var query = request.Query.ToDictionary(parameter => parameter.Key, parameter => parameter.Value.ToString(), StringComparer.Ordinal);
        // Clients sign the path as they send it, escapes included (%23 for a user channel's '#').
        var rawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? request.Path.Value!;
        var refusal = Check(app, request.Method, rawTarget.Split('?')[0], query, body);
        if (refusal is not null)
        {
            await RefuseAsync(context, StatusCodes.Status401Unauthorized, refusal);
            return;
        }

        await next(context);
    }

    private string? Check(PusherAppOptions app, string method, string path, IReadOnlyDictionary<string, string> query, byte[] body)
    {
        string Parameter(string name) => query.TryGetValue(name, out var value) ? value : "";

        if (Parameter("auth_key") != app.Key)
        {
            return "Unknown auth_key";
        }

        if (!long.TryParse(Parameter("auth_timestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp)
            || Math.Abs(clock.GetUtcNow().ToUnixTimeSeconds() - timestamp) > PusherRequestSignature.Tolerance.TotalSeconds)
        {
            return $"auth_timestamp must be within {PusherRequestSignature.Tolerance.TotalSeconds:0} s of the server's time";
        }

        if (Parameter("auth_version") != PusherRequestSignature.AuthVersion)
        {
            return "auth_version must be 1.0";
        }

        if (body.Length > 0 && Parameter("body_md5") != PusherRequestSignature.BodyMd5(body))
        {
            return "body_md5 does not match the body";
        }

        return PusherSignature.Verify(app.Secret, PusherRequestSignature.StringToSign(method, path, query), Parameter("auth_signature"))
            ? null
            : "Invalid signature";
    }

    /// <summary>The body, kept for the endpoint to read again; null when it is over the limit.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpContext context)
    {
        if (context.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        context.Request.EnableBuffering();
        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        context.Request.Body.Position = 0;
        return buffer.ToArray();
    }

    private static Task RefuseAsync(HttpContext context, int status, string error)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { error }, context.RequestAborted);
    }
}
