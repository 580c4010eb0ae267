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
        Assert.Contains("smtp4dev", resources.Keys);
        Assert.Contains("sandbox", resources.Keys);
        Assert.IsType<ProjectResource>(resources["pos"]);
    }

    [Fact]
    public async Task Run_mode_given_the_providers_parameters_uses_them_and_starts_neither_the_mail_sink_nor_the_sandbox()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(
            [
                "VSmenu:Infrastructure=local", "Parameters:smtp-url=smtp://smtp.example.com:587", "Parameters:smtp-user=vsmenu",
                "Parameters:smtp-password=not-a-real-one", "Parameters:mail-from=VSmenu <no-reply@example.com>",
                "Parameters:payments-url=https://payments.example.com", "Parameters:payments-api-key=not-a-real-one",
                "Parameters:marketplace-url=https://marketplace.example.com", "Parameters:marketplace-api-key=not-a-real-one",
            ],
            TestContext.Current.CancellationToken);

        var names = builder.Resources.Select(resource => resource.Name).ToList();

        Assert.DoesNotContain("smtp4dev", names);
        Assert.DoesNotContain("sandbox", names);
        Assert.All(ProviderSettings, setting => Assert.Contains(setting.Parameter, names));
    }

    [Fact]
    public async Task Each_long_running_service_has_a_readiness_and_a_liveness_probe()
    {
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.VSmenu_AppHost>(
            ["VSmenu:Infrastructure=local"], TestContext.Current.CancellationToken);

        var resources = builder.Resources.ToDictionary(resource => resource.Name);

#pragma warning disable ASPIREPROBES001 // Experimental in Aspire 13.
        Assert.All(["api", "realtime", "worker"], name => Assert.Equal(
            [(ProbeType.Readiness, "/health"), (ProbeType.Liveness, "/alive")],
            resources[name].Annotations.OfType<EndpointProbeAnnotation>().Select(probe => (probe.Type, probe.Path))));
#pragma warning restore ASPIREPROBES001
    }

    [Fact]
    public async Task The_published_manifest_is_a_production_system_whatever_the_infrastructure_setting()
    {
        var local = await PublishManifestAsync("local");
        var containers = await PublishManifestAsync("containers");

        Assert.Equal(local, containers);
        using var manifest = JsonDocument.Parse(local);
        var resources = manifest.RootElement.GetProperty("resources");
        var names = resources.EnumerateObject().Select(resource => resource.Name).ToList();
        Assert.StartsWith("container.", resources.GetProperty("redis").GetProperty("type").GetString());
        Assert.StartsWith("container.", resources.GetProperty("postgres").GetProperty("type").GetString());
        Assert.Contains("vsmenudb", names);
        Assert.All(ServiceNames, name => Assert.StartsWith("project.", resources.GetProperty(name).GetProperty("type").GetString()));

        // Development's mail sink, fake gateway and demo till stay out; the worker is given the real providers as parameters.
        Assert.DoesNotContain("smtp4dev", names);
        Assert.DoesNotContain("sandbox", names);
        Assert.DoesNotContain("pos", names);
        var worker = resources.GetProperty("worker").GetProperty("env");
        Assert.DoesNotContain(worker.EnumerateObject(), variable => variable.Name.Contains("sandbox", StringComparison.OrdinalIgnoreCase));
        foreach (var (variable, parameter) in ProviderSettings)
        {
            Assert.Equal($"{{{parameter}.value}}", worker.GetProperty(variable).GetString());
            Assert.Equal("parameter.v0", resources.GetProperty(parameter).GetProperty("type").GetString());
        }

        // Every secret is a secret parameter, and no service carries a secret as a plain value.
        var secrets = resources.EnumerateObject()
            .Where(resource => resource.Value.GetProperty("type").GetString() == "parameter.v0"
                               && resource.Value.GetProperty("inputs").GetProperty("value").TryGetProperty("secret", out var secret) && secret.GetBoolean())
            .Select(resource => resource.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "pusher-app-secret", "platform-operator-key", "smtp-password", "payments-api-key", "marketplace-api-key", "redis-password", "postgres-password" }, secrets);
        Assert.All(
            resources.EnumerateObject().Where(resource => resource.Value.TryGetProperty("env", out _))
                .SelectMany(resource => resource.Value.GetProperty("env").EnumerateObject())
                .Where(variable => variable.Name.EndsWith("Password", StringComparison.OrdinalIgnoreCase) || variable.Name.EndsWith("Secret", StringComparison.Ordinal) || variable.Name.EndsWith("ApiKey", StringComparison.Ordinal) || variable.Name.EndsWith("OperatorKey", StringComparison.Ordinal)),
            variable => Assert.StartsWith("{", variable.Value.GetString()));

        // The api and the hub believe X-Forwarded-For from the platform's ingress only, a parameter.
        Assert.All(["api", "realtime"], name =>
            Assert.Equal("{ingress-network.value}", resources.GetProperty(name).GetProperty("env").GetProperty("ForwardedHeaders__KnownNetworks__0").GetString()));
    }

    [Fact]
    public async Task A_production_worker_without_real_providers_refuses_to_start_with_one_line_and_starts_with_them()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var production = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = "http://127.0.0.1:0",
            // Stores that are not there: the worker starts and keeps retrying them, as it does while they restart.
            ["ConnectionStrings__vsmenudb"] = "Host=127.0.0.1;Port=1;Database=vsmenu;Username=vsmenu",
            ["ConnectionStrings__redis"] = "127.0.0.1:1,abortConnect=false",
        };

        var refused = await DotnetProjectProcess.RunAsync(DotnetProjectProcess.Worker, [], production, cancellationToken);
        var started = await DotnetProjectProcess.RunUntilAsync(
            DotnetProjectProcess.Worker,
            new Dictionary<string, string>(production)
            {
                ["ExternalServices__Payments__BaseAddress"] = "https://payments.example.com",
                ["ExternalServices__Marketplace__BaseAddress"] = "https://marketplace.example.com",
            },
            line => line.Contains("Application started", StringComparison.Ordinal),
            cancellationToken);

        Assert.Equal(1, refused.ExitCode);
        var line = Assert.Single(refused.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("ExternalServices:Payments:BaseAddress", line, StringComparison.Ordinal);
        Assert.Contains("ExternalServices:Marketplace:BaseAddress", line, StringComparison.Ordinal);
        Assert.True(started, "the worker did not start with its providers configured");
    }

    private static readonly (string Variable, string Parameter)[] ProviderSettings =
    [
        ("Mail__Smtp", "smtp-url"), ("Mail__User", "smtp-user"), ("Mail__Password", "smtp-password"), ("Mail__From", "mail-from"),
        ("ExternalServices__Payments__BaseAddress", "payments-url"), ("ExternalServices__Payments__ApiKey", "payments-api-key"),
        ("ExternalServices__Marketplace__BaseAddress", "marketplace-url"), ("ExternalServices__Marketplace__ApiKey", "marketplace-api-key"),
        ("Sms__Gateway", "sms-gateway-url"),
    ];

    private static async Task<string> PublishManifestAsync(string infrastructure)
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        var output = Directory.CreateTempSubdirectory("vsmenu-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "aspire-manifest.json");
            var publish = await DotnetProjectProcess.RunAsync(
                DotnetProjectProcess.AppHost,
                ["--publisher", "manifest", "--output-path", manifestPath, $"--VSmenu:Infrastructure={infrastructure}"], environment: null, cancellationToken);
            Assert.True(publish.ExitCode == 0, $"publish exited {publish.ExitCode}: {publish.StandardOutput}{publish.StandardError}");
            return await File.ReadAllTextAsync(manifestPath, cancellationToken);
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
