using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using VSmenu.Api.Infrastructure;

namespace VSmenu.Api.Sync;

/// <summary>
/// Offline sync for POS terminals (the architecture's "Offline sync contract"): <c>GET /sync/pull</c> serves the
/// restaurant's changes after a cursor, <c>POST /sync/push</c> applies a terminal's offline mutations exactly once.
/// </summary>
public static class SyncEndpoints
{
    /// <summary>A push of <see cref="PushRequest.MaxMutations"/> orders of a few lines each.</summary>
    public const long MaxPushBytes = 4 * 1024 * 1024;

    private static readonly string[] PullParameters = ["cursor", "limit"];

    public static WebApplicationBuilder AddOfflineSync(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<SyncPull>();
        builder.Services.AddScoped<SyncPush>();
        builder.Services.AddSingleton<SyncMetrics>();
        return builder;
    }

    public static RouteGroupBuilder MapSyncEndpoints(this RouteGroupBuilder api)
    {
        var sync = api.MapGroup("/sync").WithTags("Sync");
        sync.MapGet("/pull", PullAsync)
            .Produces<DataResponse<SyncPage>>()
            .Produces<ResetRequiredBody>(StatusCodes.Status410Gone);
        sync.MapPost("/push", PushAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxPushBytes))
            .Produces<DataResponse<PushResult>>()
            .Produces<MutationGapBody>(StatusCodes.Status409Conflict);
        return api;
    }

    private static async Task<IResult> PullAsync(HttpRequest http, SyncPull pull, CancellationToken cancellationToken)
    {
        var query = http.Query;
        if (query.Keys.FirstOrDefault(key => !PullParameters.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ApiText.UnknownQueryParameter.Format(unknown, string.Join(", ", PullParameters)));
        }

        SyncCursor? cursor = null;
        if (query["cursor"].ToString() is { Length: > 0 } text)
        {
            cursor = SyncCursor.TryParse(text, out var given)
                ? given
                : throw new ApiProblemException(StatusCodes.Status400BadRequest, ApiText.InvalidQueryValue.Format("cursor", text));
        }

        var limit = SyncPull.DefaultLimit;
        if (query.ContainsKey("limit")
            && (!int.TryParse(query["limit"], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > SyncPull.MaxLimit))
        {
            throw new ApiProblemException(StatusCodes.Status400BadRequest, ApiText.QueryRange.Format("limit", 1, SyncPull.MaxLimit));
        }

        return await pull.PullAsync(cursor, limit, cancellationToken) is { } page
            ? TypedResults.Ok(DataResponse.Of(page))
            : TypedResults.Json(new ResetRequiredBody(ApiText.SyncResetRequired.Format()), statusCode: StatusCodes.Status410Gone);
    }

    private static Task<IResult> PushAsync(PushRequest body, ClaimsPrincipal caller, SyncPush push, HttpRequest http, CancellationToken cancellationToken) =>
        push.PushAsync(body, caller, SocketId.From(http), cancellationToken);
}
