using Aspire.Hosting;
using Aspire.Hosting.Testing;
using VSmenu.AppHost.Infrastructure;

namespace VSmenu.IntegrationTests;

/// <summary>The AppHost as a worker's supervisor, on the real orchestrator, with processes that exit at once.</summary>
public sealed class RestartOnExitTests
{
    private const int RecycleExitCode = 75;

    [Fact]
    public async Task A_process_that_exits_with_the_recycle_code_is_started_again_and_one_that_exits_with_another_is_not()
    {
        var cancellation = TestContext.Current.CancellationToken;
        var recycledRuns = Path.GetTempFileName();
        var failedRuns = Path.GetTempFileName();
        try
        {
            // The AppHost's builder, with its supervisor, emptied of its own resources: only the two processes below run.
            await using var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(["VSmenu:EphemeralData=true"], cancellation);
            foreach (var resource in builder.Resources.ToList())
            {
                builder.Resources.Remove(resource);
            }

            builder.AddExecutable("recycles", "sh", Path.GetTempPath(), "-c", $"echo run >> {recycledRuns}; exit {RecycleExitCode}")
                .WithRestartOnExitCode(RecycleExitCode);
            builder.AddExecutable("fails", "sh", Path.GetTempPath(), "-c", $"echo run >> {failedRuns}; exit 1")
                .WithRestartOnExitCode(RecycleExitCode);
            await using var app = await builder.BuildAsync(cancellation);
            await app.StartAsync(cancellation);

            await Eventually.ReturnsAsync(() => File.ReadAllLinesAsync(recycledRuns, cancellation), runs => runs.Length >= 3, "started a third time",
                TimeSpan.FromSeconds(60));

            // Both ended at once, twice over for the first: the second was not started again in all that time.
            Assert.Single(await File.ReadAllLinesAsync(failedRuns, cancellation));
        }
        finally
        {
            File.Delete(recycledRuns);
            File.Delete(failedRuns);
        }
    }
}
