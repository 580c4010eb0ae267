using Microsoft.Extensions.Diagnostics.HealthChecks;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.SystemStatus;

namespace VSmenu.UnitTests.SystemStatus;

public sealed class SystemStatusRulesTests
{
    [Fact]
    public void The_dependencies_down_are_the_failing_checks_named_once_each_without_their_kind()
    {
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry>
            {
                ["vsmenudb-writable"] = Entry(HealthStatus.Unhealthy),
                ["vsmenudb-schema"] = Entry(HealthStatus.Unhealthy),
                ["redis-writable"] = Entry(HealthStatus.Healthy),
                ["self"] = Entry(HealthStatus.Healthy),
            },
            TimeSpan.Zero);

        Assert.Equal(["vsmenudb"], SystemStatusBoard.DependenciesDown(report));
    }

    [Fact]
    public void A_notice_needs_a_message_of_at_most_280_characters_and_an_end_in_the_future()
    {
        var errors = Validator.Check(new MaintenanceRequest(new string('x', MaintenanceRequest.MaxMessageLength + 1), DateTimeOffset.UtcNow.AddMinutes(-1)));
        Assert.True(errors.Has("message"));
        Assert.True(errors.Has("until"));

        Assert.False(Validator.Check(new MaintenanceRequest("Atualização às 23h", Until: null)).Any);
        Assert.True(Validator.Check(new MaintenanceRequest(" ", Until: null)).Has("message"));
    }

    private static HealthReportEntry Entry(HealthStatus status) => new(status, description: null, TimeSpan.Zero, exception: null, data: null);
}
