namespace VSmenu.IntegrationTests;

public sealed class MigrationServiceTests
{
    [Fact]
    public async Task Migration_service_exits_non_zero_and_says_so_when_the_database_is_unreachable()
    {
        var run = await DotnetProjectProcess.RunAsync(
            DotnetProjectProcess.MigrationService,
            [],
            new Dictionary<string, string>
            {
                // Port 1 on loopback refuses at once; retries off so the failure is not spread over half a minute.
                ["ConnectionStrings__vsmenudb"] = "Host=127.0.0.1;Port=1;Username=postgres;Database=vsmenudb;Timeout=2",
                ["Aspire__Npgsql__EntityFrameworkCore__PostgreSQL__DisableRetry"] = "true",
            },
            TestContext.Current.CancellationToken);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("Database migration failed; dependent services will not start", run.StandardOutput);
    }
}
