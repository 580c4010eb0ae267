using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Jobs;
using VSmenu.Data.Users;
using VSmenu.Queue;

namespace VSmenu.Api.FailedJobs;

public sealed record FailedJobResource(Guid Uuid, string Job, string Queue, string Exception, DateTimeOffset FailedAt, JsonElement Data);

public sealed record RetriedJobResource(Guid Uuid, Guid RetriedUuid);

/// <summary>
/// Horizon's failed-jobs page for a restaurant's owner: the restaurant's jobs that failed for good, and a retry that
/// pushes the same job under a new uuid (through the outbox, in the transaction that removes the failure).
/// </summary>
public static class FailedJobEndpoints
{
    public const string ManageFailedJobs = "failed-jobs.manage";

    private static readonly Listing<FailedJobRecord> Listing = new Listing<FailedJobRecord>(failed => failed.Id, defaultSort: "-failed_at")
        .Sort("failed_at", failed => failed.FailedAt);

    public static AuthorizationBuilder AddFailedJobPolicies(this AuthorizationBuilder authorization) =>
        authorization.AddPolicy(ManageFailedJobs, policy => policy.RequireRoles(Role.Owner));

    public static RouteGroupBuilder MapFailedJobEndpoints(this RouteGroupBuilder api)
    {
        var failedJobs = api.MapGroup("/admin/failed-jobs").WithTags("Failed jobs").RequireAuthorization(ManageFailedJobs);
        failedJobs.MapGet("/", ListAsync).Produces<PagedResponse<FailedJobResource>>();
        failedJobs.MapPost("/{uuid:guid}/retry", RetryAsync).Produces<DataResponse<RetriedJobResource>>(StatusCodes.Status202Accepted);
        return api;
    }

    private static async Task<IResult> ListAsync(VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken) =>
        TypedResults.Ok(await Listing.ToPageAsync(db.FailedJobs, request, (failed, _) => ToResource(failed), cancellationToken));

    private static async Task<IResult> RetryAsync(Guid uuid, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        if (await db.FailedJobs.FirstOrDefaultAsync(failed => failed.Uuid == uuid, cancellationToken) is not { } failed)
        {
            return ApiResults.NotFound();
        }

        var retry = JobEnvelope.FromJson(failed.Payload).Renewed(TimeProvider.System);
        db.FailedJobs.Remove(failed);
        db.OutboxJobs.Add(OutboxJob.For(retry));
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Accepted((string?)null, DataResponse.Of(new RetriedJobResource(Guid.Parse(retry.Uuid), uuid)));
    }

    private static FailedJobResource ToResource(FailedJobRecord failed)
    {
        var envelope = JobEnvelope.FromJson(failed.Payload);
        return new(failed.Uuid, envelope.Job, failed.Queue, failed.Exception, failed.FailedAt, envelope.Data);
    }
}
