using Microsoft.Extensions.Configuration;
using VSmenu.AppHost.Infrastructure;

const string HealthPath = "/health";

// EX_TEMPFAIL: a worker with a job that ignored its cancellation finishes the others and exits with it to be replaced.
const int WorkerRecycleExitCode = 75;

var builder = DistributedApplication.CreateBuilder(args).EnsureDevelopmentCertificate();

VsmenuInfrastructure infrastructure;
try
{
    infrastructure = builder.AddVsmenuInfrastructure();
}
catch (InfrastructureUnavailableException missing)
{
    Console.Error.WriteLine(missing.Message);
    return 1;
}

var (redis, database, mode) = infrastructure;

var migrations = builder.AddProject<Projects.VSmenu_MigrationService>("migrations")
    .WithReference(database).WaitFor(database);

// The Pusher app that browsers and POS clients connect to: its key is public, its secret signs channel
// authorizations (api) and is checked by the hub (realtime). Generated per run unless configured.
var pusher = new PusherApp(
    builder.AddParameter("pusher-app-id", "vsmenu", publishValueAsDefault: true),
    builder.AddParameter("pusher-app-key", "vsmenu-key", publishValueAsDefault: true),
    builder.AddParameter("pusher-app-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true));

var realtime = builder.AddProject<Projects.VSmenu_Realtime>("realtime")
    .WithReplicas(builder.Configuration.GetValue("VSmenu:RealtimeReplicas", 1))
    .WithReference(redis).WaitFor(redis)
    .WithPusherApp(pusher)
    .WithHttpHealthCheck(HealthPath, endpointName: "http");

// More than one replica shows what a deployment behind a load balancer does: limits, idempotency keys and events
// shared through Redis and PostgreSQL, not one process's memory.
var apiReplicas = builder.Configuration.GetValue("VSmenu:ApiReplicas", 1);

builder.AddProject<Projects.VSmenu_Api>("api")
    .WithReplicas(apiReplicas)
    .WithPusherApp(pusher)
    .WithReference(realtime)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck(HealthPath);

// Mail of every environment but production lands here, with a web UI to read it.
var smtp = builder.AddSmtpSink(mode);

// Plays the payment gateway and the marketplace; PUT /control/{payments|marketplace} makes it fail, hang or recover.
var sandbox = builder.AddProject<Projects.VSmenu_Sandbox>("sandbox")
    .WithHttpHealthCheck(HealthPath);

builder.AddProject<Projects.VSmenu_Worker>("worker")
    .WithReplicas(builder.Configuration.GetValue("VSmenu:WorkerReplicas", 1))
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithEnvironment("Mail__Smtp", smtp.Smtp).WaitFor(smtp.Resource)
    .WithReference(sandbox).WaitFor(sandbox)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck(HealthPath)
    .WithRestartOnExitCode(WorkerRecycleExitCode);

builder.Build().Run();
return 0;

internal sealed record PusherApp(IResourceBuilder<ParameterResource> AppId, IResourceBuilder<ParameterResource> Key, IResourceBuilder<ParameterResource> Secret);

internal static class PusherAppResourceExtensions
{
    public static IResourceBuilder<ProjectResource> WithPusherApp(this IResourceBuilder<ProjectResource> project, PusherApp app) => project
        .WithEnvironment("Pusher__AppId", app.AppId)
        .WithEnvironment("Pusher__Key", app.Key)
        .WithEnvironment("Pusher__Secret", app.Secret);
}
