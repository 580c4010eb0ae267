using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace VSmenu.Worker.Notifications;

/// <summary>
/// Readiness says when SMS go nowhere: without a gateway the worker still runs every job and records each SMS as
/// skipped, so it is degraded rather than unready, and the operator sees why on <c>/health</c>.
/// </summary>
public sealed class SmsGatewayHealthCheck(IOptions<SmsOptions> options) : IHealthCheck
{
    public const string Name = "sms-gateway";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(options.Value.IsConfigured
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Sms:Gateway is not set: SMS are recorded as skipped."));
}
