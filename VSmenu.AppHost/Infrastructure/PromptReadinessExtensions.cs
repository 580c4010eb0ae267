using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace VSmenu.AppHost.Infrastructure;

public static class PromptReadinessExtensions
{
    /// <summary>How long one check of a resource that has not been healthy yet keeps asking: the monitor's longest pause.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(5);

    /// <summary>The pause between two asks within one patient check.</summary>
    public static readonly TimeSpan Step = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Makes every resource's health check, until its first healthy answer, ask again every <see cref="Step"/> for up to
    /// <see cref="Patience"/> before it answers unhealthy. The orchestrator re-checks a starting resource after 1, 2, 3, 4,
    /// then 5 s; a service that became ready just after one check was seen up to 5 s late, and each resource waiting on
    /// it (migrations on the database, api on the migrations, pos on the api) started that much later. Once a resource
    /// has been healthy its checks answer at once again, so an outage shows as soon as before.
    /// </summary>
    public static IServiceCollection AddPromptReadiness(this IServiceCollection services) =>
        services.PostConfigure<HealthCheckServiceOptions>(options =>
        {
            foreach (var registration in options.Registrations)
            {
                var check = registration.Factory;
                var readiness = new Readiness();
                registration.Factory = provider => new PatientUntilReadyHealthCheck(check(provider), readiness);
            }
        });

    private sealed class Readiness
    {
        public volatile bool Seen;
    }

    /// <remarks>The health check service builds a check for every run, so whether the resource was ready lives outside it.</remarks>
    private sealed class PatientUntilReadyHealthCheck(IHealthCheck check, Readiness readiness) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (readiness.Seen)
            {
                return await check.CheckHealthAsync(context, cancellationToken);
            }

            var started = Stopwatch.GetTimestamp();
            while (true)
            {
                using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                attempt.CancelAfter(Patience);
                HealthCheckResult result;
                try
                {
                    result = await check.CheckHealthAsync(context, attempt.Token);
                }
                catch (Exception failed) when (!cancellationToken.IsCancellationRequested)
                {
                    result = new HealthCheckResult(context.Registration.FailureStatus, failed.Message, failed);
                }

                if (result.Status == HealthStatus.Healthy)
                {
                    readiness.Seen = true;
                    return result;
                }

                if (Stopwatch.GetElapsedTime(started) + Step >= Patience)
                {
                    return result;
                }

                await Task.Delay(Step, cancellationToken);
            }
        }
    }
}
