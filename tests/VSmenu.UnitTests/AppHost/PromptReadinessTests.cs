using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using VSmenu.AppHost.Infrastructure;

namespace VSmenu.UnitTests.AppHost;

public sealed class PromptReadinessTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_starting_resource_is_seen_healthy_within_the_check_that_overlaps_its_readiness(bool failsInsteadOfAnswering)
    {
        var service = new ScriptedCheck(unhealthyAnswers: 3, throws: failsInsteadOfAnswering);
        var check = PatientCheck(service, out var context);

        var result = await check().CheckHealthAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Equal(4, service.Asked);
    }

    [Fact]
    public async Task Once_healthy_a_failing_resource_is_reported_at_the_first_unhealthy_answer()
    {
        var service = new ScriptedCheck(unhealthyAnswers: 0);
        var check = PatientCheck(service, out var context);
        await check().CheckHealthAsync(context, TestContext.Current.CancellationToken);

        service.Fail();
        var result = await check().CheckHealthAsync(context, TestContext.Current.CancellationToken);

        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.Equal(2, service.Asked);
    }

    [Fact]
    public async Task A_resource_that_never_gets_ready_is_reported_unhealthy_after_the_patience()
    {
        var service = new ScriptedCheck(unhealthyAnswers: int.MaxValue);
        var check = PatientCheck(service, out var context);
        var started = Stopwatch.GetTimestamp();

        var result = await check().CheckHealthAsync(context, TestContext.Current.CancellationToken);

        var took = Stopwatch.GetElapsedTime(started);
        Assert.Equal(HealthStatus.Unhealthy, result.Status);
        Assert.InRange(took, PromptReadinessExtensions.Patience - (2 * PromptReadinessExtensions.Step), PromptReadinessExtensions.Patience + TimeSpan.FromSeconds(2));
        Assert.True(service.Asked > 10, $"asked {service.Asked} times");
    }

    /// <summary>The check the health check service would build for each run of <paramref name="service"/>'s registration.</summary>
    private static Func<IHealthCheck> PatientCheck(ScriptedCheck service, out HealthCheckContext context)
    {
        var services = new ServiceCollection();
        services.AddHealthChecks().AddCheck("resource_check", service);
        services.AddPromptReadiness();
        var provider = services.BuildServiceProvider();
        var registration = provider.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations.Single();
        context = new HealthCheckContext { Registration = registration };
        return () => registration.Factory(provider);
    }

    private sealed class ScriptedCheck(int unhealthyAnswers, bool throws = false) : IHealthCheck
    {
        private int _unhealthyAnswers = unhealthyAnswers;

        public int Asked { get; private set; }

        public void Fail() => _unhealthyAnswers = int.MaxValue;

        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            Asked++;
            if (Asked <= _unhealthyAnswers || _unhealthyAnswers == int.MaxValue)
            {
                return throws ? throw new HttpRequestException("Connection refused") : Task.FromResult(HealthCheckResult.Unhealthy("not listening yet"));
            }

            return Task.FromResult(HealthCheckResult.Healthy());
        }
    }
}
