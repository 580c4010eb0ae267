using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace VSmenu.IntegrationTests;

/// <summary>
/// The app model in the modes this machine cannot run (containers, publish): built and inspected, never started.
/// </summary>
public sealed class AppModelTests
{
    private static readonly string[] ServiceNames = ["migrations", "api", "realtime", "worker"];

    [Fact]
    public async Task Containers_mode_uses_container_redis_and_postgres()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(
            ["VSmenu:Infrastructure=containers"], TestContext.Current.CancellationToken);

        var resources = builder.Resources.ToDictionary(resource => resource.Name);

        Assert.IsType<RedisResource>(resources["redis"]);
        Assert.IsType<PostgresServerResource>(resources["postgres"]);
        Assert.Equal("vsmenudb", Assert.IsType<PostgresDatabaseResource>(resources["vsmenudb"]).DatabaseName);
        Assert.All(ServiceNames, name => Assert.IsType<ProjectResource>(resources[name]));
    }

    [Fact]
    public async Task Local_mode_uses_processes_under_the_same_names()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(
            ["VSmenu:Infrastructure=local"], TestContext.Current.CancellationToken);

        var resources = builder.Resources.ToDictionary(resource => resource.Name);

        Assert.False(resources["redis"].IsContainer());
        Assert.False(resources["postgres"].IsContainer());
        Assert.IsAssignableFrom<ExecutableResource>(resources["redis"]);
        Assert.IsAssignableFrom<ExecutableResource>(resources["postgres"]);
        Assert.IsAssignableFrom<IResourceWithConnectionString>(resources["vsmenudb"]);
    }

    [Fact]
    public async Task Publish_manifest_describes_containers_whatever_the_setting()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = Directory.CreateTempSubdirectory("vsmenu-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");

            var publish = await DotnetProjectProcess.RunAsync(
                DotnetProjectProcess.AppHost,
                ["--publisher", "manifest", "--output-path", manifestPath, "--VSmenu:Infrastructure=local"], environment: null, cancellationToken);
            Assert.True(publish.ExitCode == 0, $"publish exited {publish.ExitCode}: {publish.StandardOutput}{publish.StandardError}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, cancellationToken));
            var resources = manifest.RootElement.GetProperty("resources");
            Assert.StartsWith("container.", resources.GetProperty("redis").GetProperty("type").GetString());
            Assert.StartsWith("container.", resources.GetProperty("postgres").GetProperty("type").GetString());
            Assert.Contains("vsmenudb", resources.EnumerateObject().Select(resource => resource.Name));
            Assert.All(ServiceNames, name => Assert.StartsWith("project.", resources.GetProperty(name).GetProperty("type").GetString()));
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Missing_redis_server_stops_the_apphost_at_once_with_one_line_naming_the_install()
    {
        var emptyPath = Directory.CreateTempSubdirectory("vsmenu-no-binaries-");
        try
        {
            var run = await DotnetProjectProcess.RunAsync(
                DotnetProjectProcess.AppHost,
                ["--VSmenu:Infrastructure=local"],
                new Dictionary<string, string> { ["PATH"] = emptyPath.FullName },
                TestContext.Current.CancellationToken);

            Assert.Equal(1, run.ExitCode);
            var line = Assert.Single(run.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.StartsWith("redis-server was not found", line);
            Assert.Contains("apt-get install -y redis-server postgresql", line);
        }
        finally
        {
            emptyPath.Delete();
        }
    }
}
