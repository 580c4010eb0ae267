using VSmenu.Api.Auth;
using VSmenu.Api.Broadcasting;
using VSmenu.Api.Customers;
using VSmenu.Api.Edge.Idempotency;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.FailedJobs;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Menu;
using VSmenu.Api.Orders;
using VSmenu.Api.Reports;
using VSmenu.Api.Sync;
using VSmenu.Api.SystemStatus;
using VSmenu.Api.Tables;
using VSmenu.Api.Users;

namespace VSmenu.Api;

public static class ApiV1
{
    /// <summary>
    /// Maps <c>/api/v1</c>: every endpoint needs a token unless it says otherwise, counts against the API's rate
    /// limit, honours <c>Idempotency-Key</c> on writes, and validates its body.
    /// </summary>
    public static IEndpointRouteBuilder MapApiV1(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/v1")
            .RequireAuthorization()
            .RateLimited(RateLimitPolicy.Api)
            .WithIdempotencyKeys()
            .AddEndpointFilter<ValidationFilter>()
            .ProducesErrors();

        api.MapAuthEndpoints()
            .MapUserEndpoints()
            .MapCategoryEndpoints()
            .MapProductEndpoints()
            .MapCustomerEndpoints()
            .MapTableEndpoints()
            .MapOrderEndpoints()
            .MapSyncEndpoints()
            .MapBroadcastingAuthEndpoints()
            .MapPresenceEndpoints()
            .MapReportEndpoints()
            .MapFailedJobEndpoints()
            .MapSystemStatusEndpoints();
        return endpoints;
    }

    /// <summary>Documents the error shape for the statuses any endpoint may answer.</summary>
    private static RouteGroupBuilder ProducesErrors(this RouteGroupBuilder group)
    {
        foreach (var status in new[] { 400, 401, 403, 404, 409, 422, 429, 503 })
        {
            group.WithMetadata(new ProducesResponseTypeMetadata(status, typeof(ErrorBody), ["application/json"]));
        }

        return group;
    }
}
