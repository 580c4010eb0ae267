using Microsoft.Extensions.Diagnostics.HealthChecks;
using VSmenu.Api.Infrastructure;

namespace VSmenu.Api.SystemStatus;

public sealed record MaintenanceRequest(string? Message, DateTimeOffset? Until) : IValidatableRequest
{
    public const int MaxMessageLength = 280;

    public void Validate(Validator validator)
    {
        validator.Field("message", Message).Required().MaxLength(MaxMessageLength);
        validator.Field("until", Until).Must(until => until > DateTimeOffset.UtcNow, ApiText.AfterNow);
    }
}

/// <summary>Feeds every readiness report of this replica to the board, which announces a change of the dependencies down.</summary>
internal sealed class ReadinessWatch(SystemStatusBoard board) : IHealthCheckPublisher
{
    public Task PublishAsync(HealthReport report, CancellationToken cancellationToken) => board.ReportAsync(report, cancellationToken);
}

public static class SystemStatusEndpoints
{
    /// <summary>How often readiness runs for the banner: a dependency down reaches the screens within about this.</summary>
    private static readonly TimeSpan ReadinessPeriod = TimeSpan.FromSeconds(5);

    public static WebApplicationBuilder AddSystemStatus(this WebApplicationBuilder builder)
    {
        builder.AddPlatformOperator();
        builder.Services.AddSingleton<SystemStatusBoard>();
        builder.Services.AddSingleton<IHealthCheckPublisher, ReadinessWatch>();
        builder.Services.Configure<HealthCheckPublisherOptions>(options =>
        {
            options.Delay = TimeSpan.FromSeconds(1);
            options.Period = ReadinessPeriod;
        });
        return builder;
    }

    /// <summary>
    /// The status for any member of staff (counted against their own rate limit, not their restaurant's shared address's),
    /// and the operator's maintenance notice.
    /// </summary>
    public static RouteGroupBuilder MapSystemStatusEndpoints(this RouteGroupBuilder api)
    {
        var system = api.MapGroup("/system").WithTags("System status");
        system.MapGet("/status", async (SystemStatusBoard board, CancellationToken cancellationToken) =>
            TypedResults.Ok(DataResponse.Of(await board.CurrentAsync(cancellationToken))));

        var maintenance = system.MapGroup("/maintenance").RequireAuthorization(PlatformOperatorAuthenticationHandler.Policy);
        maintenance.MapPut("/", async (MaintenanceRequest body, SystemStatusBoard board, TimeProvider clock, CancellationToken cancellationToken) =>
            TypedResults.Ok(DataResponse.Of(await board.SetMaintenanceAsync(new MaintenanceNotice(body.Message!, body.Until, clock.GetUtcNow()), cancellationToken))));
        maintenance.MapDelete("/", async (SystemStatusBoard board, CancellationToken cancellationToken) =>
            TypedResults.Ok(DataResponse.Of(await board.ClearMaintenanceAsync(cancellationToken))));
        return api;
    }
}
