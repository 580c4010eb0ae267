using System.Diagnostics.Metrics;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;

namespace VSmenu.Api.Edge.Idempotency;

/// <summary>
/// Makes a retried write safe: the first request with an <c>Idempotency-Key</c> runs and its response is kept for a day;
/// a retry with the same key and the same request gets that response again (<c>Idempotent-Replayed: true</c>), a
/// concurrent one waits for it or gets a 409, and the same key on a different request is a 422. Keys belong to
/// one user of one tenant.
/// </summary>
internal sealed partial class IdempotencyMiddleware(
    RequestDelegate next, IdempotencyStore store, IMeterFactory meterFactory, ILogger<IdempotencyMiddleware> logger)
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeaderName = "Idempotent-Replayed";
    public const int MaxKeyLength = 255;

    private readonly Counter<long> _requests = meterFactory.Create(ApiEdgeTelemetry.MeterName).CreateCounter<long>(
        "vsmenu.api.idempotency.requests", "{request}", "Requests with an Idempotency-Key, by what became of them.");

    public async Task InvokeAsync(HttpContext context)
    {
        if (!context.Request.Headers.TryGetValue(HeaderName, out var keys) || !AppliesTo(context))
        {
            await next(context);
            return;
        }

        var key = keys.ToString();
        if (keys.Count != 1 || key.Length is 0 or > MaxKeyLength || !key.All(character => character is > ' ' and <= '~'))
        {
            await WriteErrorAsync(context, StatusCodes.Status400BadRequest, ApiText.IdempotencyKeyInvalid.Format(MaxKeyLength));
            return;
        }

        var request = new IdempotentRequest($"{context.User.FindFirstValue(CallerClaims.UserId)}:{key}", await FingerprintAsync(context.Request));
        context.Features.Set(request);
        var claim = await store.ClaimAsync($"{context.User.FindFirstValue(CallerClaims.TenantId)}:{request.Scope}", request.Fingerprint, context.RequestAborted);
        Count(claim);
        switch (claim)
        {
            case IdempotencyClaim.Owned owned:
                await RunAndRememberAsync(context, owned);
                break;
            case IdempotencyClaim.Completed completed:
                await ReplayAsync(context, completed.Response);
                break;
            case IdempotencyClaim.InFlight:
                context.Response.Headers.RetryAfter = "1";
                await WriteErrorAsync(context, StatusCodes.Status409Conflict, ApiText.IdempotencyKeyInFlight.Format());
                break;
            case IdempotencyClaim.DifferentRequest:
                await WriteErrorAsync(context, StatusCodes.Status422UnprocessableEntity, ApiText.IdempotencyKeyReused.Format());
                break;
            case IdempotencyClaim.Unavailable unavailable:
                // Refusing the order because Redis is away would lose it; endpoints that record the key with their write
                // (order creation) still happen once, other writes retried during the outage may run twice.
                LogRunningWithoutKey(unavailable.Cause);
                await next(context);
                break;
        }
    }

    private static bool AppliesTo(HttpContext context) =>
        (HttpMethods.IsPost(context.Request.Method) || HttpMethods.IsPatch(context.Request.Method) || HttpMethods.IsPut(context.Request.Method))
        && context.User.Identity?.IsAuthenticated == true
        && context.GetEndpoint()?.Metadata.GetMetadata<IdempotentWritesMetadata>() is not null;

    private async Task RunAndRememberAsync(HttpContext context, IdempotencyClaim.Owned claim)
    {
        var response = context.Response;
        var client = response.Body;
        using var captured = new MemoryStream();
        response.Body = captured;
        var ranToCompletion = false;
        try
        {
            await next(context);
            ranToCompletion = true;
        }
        finally
        {
            response.Body = client;
            // Failures, conflicts and abandoned requests changed nothing worth replaying: the next try runs for real.
            // CancellationToken.None: the claim must be settled even when the client has gone.
            var remembered = ranToCompletion && IsReplayable(response.StatusCode) && !context.RequestAborted.IsCancellationRequested
                ? new StoredResponse(response.StatusCode, response.ContentType, response.Headers.Location, captured.ToArray())
                : null;
            await SettleAsync(claim, remembered);
        }

        captured.Position = 0;
        await captured.CopyToAsync(client, context.RequestAborted);
    }

    private async Task SettleAsync(IdempotencyClaim.Owned claim, StoredResponse? response)
    {
        try
        {
            await (response is null ? store.ReleaseAsync(claim, CancellationToken.None) : store.CompleteAsync(claim, response, CancellationToken.None));
        }
        catch (Exception exception) when (exception is StackExchange.Redis.RedisException or TimeoutException)
        {
            // The work is done and answered; the claim lapses with its lease, after which a retry runs again.
            LogNotRemembered(exception);
        }
    }

    private static bool IsReplayable(int status) => status is >= 200 and < 500 and not StatusCodes.Status409Conflict;

    private static async Task ReplayAsync(HttpContext context, StoredResponse stored)
    {
        context.Response.StatusCode = stored.Status;
        context.Response.ContentType = stored.ContentType;
        if (stored.Location is not null)
        {
            context.Response.Headers.Location = stored.Location;
        }

        context.Response.Headers[ReplayedHeaderName] = "true";
        await context.Response.Body.WriteAsync(stored.Body, context.RequestAborted);
    }

    /// <summary>What the request asks for: method, target and body, so a key reused for something else is caught.</summary>
    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var buffer = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, request.HttpContext.RequestAborted)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        request.Body.Position = 0;
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(message), context.RequestAborted);
    }

    private void Count(IdempotencyClaim claim) => _requests.Add(1, new KeyValuePair<string, object?>("outcome", claim switch
    {
        IdempotencyClaim.Owned => "executed",
        IdempotencyClaim.Completed => "replayed",
        IdempotencyClaim.InFlight => "in_flight",
        IdempotencyClaim.DifferentRequest => "mismatch",
        _ => "bypassed",
    }));

    [LoggerMessage(LogLevel.Warning, "Redis could not record the outcome of an idempotent request")]
    private partial void LogNotRemembered(Exception exception);

    [LoggerMessage(LogLevel.Warning, "Redis cannot hold idempotency keys; running the request without replay protection")]
    private partial void LogRunningWithoutKey(Exception? exception);
}

/// <summary>
/// The request's <c>Idempotency-Key</c> (with its user: <c>{user id}:{key}</c>) and fingerprint, as a request feature for
/// endpoints that also record the key in the transaction of what they create, so that it happens once even when Redis has
/// no record of the first try.
/// </summary>
public sealed record IdempotentRequest(string Scope, string Fingerprint);

/// <summary>Marks endpoints whose writes honour <c>Idempotency-Key</c>.</summary>
internal sealed record IdempotentWritesMetadata;

public static class IdempotencyExtensions
{
    public static WebApplicationBuilder AddIdempotencyKeys(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName);
        builder.Services.AddSingleton<IdempotencyStore>();
        return builder;
    }

    /// <summary>Runs once the caller is authorized, so a refused request never claims a key.</summary>
    public static WebApplication UseIdempotencyKeys(this WebApplication app)
    {
        app.UseMiddleware<IdempotencyMiddleware>();
        return app;
    }

    public static TBuilder WithIdempotencyKeys<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new IdempotentWritesMetadata());
}
