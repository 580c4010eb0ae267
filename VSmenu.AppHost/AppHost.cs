using Microsoft.Extensions.Configuration;
using VSmenu.AppHost.Infrastructure;

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

var (redis, database, mode, data) = infrastructure;

var migrations = builder.AddProject<Projects.VSmenu_MigrationService>("migrations")
    .WithReference(database).WaitFor(database);

// The Pusher app that browsers and POS clients connect to: its key is public, its secret signs channel
// authorizations (api) and is checked by the hub (realtime). Generated per run unless configured.
var pusher = new PusherApp(
    builder.AddParameter("pusher-app-id", "vsmenu", publishValueAsDefault: true),
    builder.AddParameter("pusher-app-key", "vsmenu-key", publishValueAsDefault: true),
    builder.AddParameter("pusher-app-secret", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true));

// Published, the api and the hub believe X-Forwarded-For only from the platform's ingress network (a parameter).
var ingressNetwork = builder.ExecutionContext.IsPublishMode ? builder.AddParameter("ingress-network") : null;

// A broadcast is thousands of small writes to as many sockets. With inline completions the runtime finishes socket
// operations on its epoll thread instead of queuing each to the thread pool: bench/realtime.sh's fan-out ceiling went
// from ~240k to ~290k deliveries/s (Kestrel's own inline scheduling on top of it lowered it, so it stays off). That is
// safe only because the hub never blocks a thread. The runtime reads the switch once, from the process's environment.
var realtime = builder.AddProject<Projects.VSmenu_Realtime>("realtime")
    .WithReplicas(builder.Configuration.GetValue("VSmenu:RealtimeReplicas", 1))
    .WithEnvironment("DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS", "1")
    .WithReference(redis).WaitFor(redis)
    .WithPusherApp(pusher)
    .WithTrustedIngress(ingressNetwork)
    .WithHealthProbes();

// More than one replica shows what a deployment behind a load balancer does: limits, idempotency keys and events
// shared through Redis and PostgreSQL, not one process's memory.
var apiReplicas = builder.Configuration.GetValue("VSmenu:ApiReplicas", 1);

// The platform operator's key: the one caller that may put a maintenance notice on every restaurant's screens.
var operatorKey = builder.AddParameter("platform-operator-key", new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true);

var api = builder.AddProject<Projects.VSmenu_Api>("api")
    .WithReplicas(apiReplicas)
    .WithEnvironment("Platform__OperatorKey", operatorKey)
    .WithPusherApp(pusher)
    .WithTrustedIngress(ingressNetwork)
    .WithReference(realtime)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHealthProbes();

// The kitchen display and the floor board: the browser calls the api and the hub directly, at the addresses the web
// resource hands it (its references), with the Pusher app's public key only; the api lets the web origin call it.
var web = builder.AddProject<Projects.VSmenu_Web>("web")
    .WithReference(api)
    .WithReference(realtime)
    .WithEnvironment("Pusher__Key", pusher.Key)
    .WithExternalHttpEndpoints()
    .WithHealthProbes();
api.WithEnvironment("Cors__AllowedOrigins__0", web.GetEndpoint("http"));

// One till of a demo restaurant, with its SQLite in the data folder, so that the POS terminal shows on the dashboard;
// `vsmenu-pos call` reaches it (README). A till runs in the restaurant, not in the cloud: it is not published.
if (!builder.ExecutionContext.IsPublishMode)
{
    builder.AddProject<Projects.VSmenu_Pos>("pos")
        .WithReference(api).WaitFor(api)
        .WithReference(realtime)
        .WithEnvironment("Pusher__Key", pusher.Key)
        .WithEnvironment("Pos__DataPath", data.PathFor("pos"))
        .WithEnvironment("Pos__Demo__Restaurant", "Lanchonete Demo")
        .WithEnvironment("Pos__Demo__Email", "demo@vsmenu.local")
        .WithEnvironment("Pos__Demo__Password", "demo-password");
}

builder.AddProject<Projects.VSmenu_Worker>("worker")
    .WithReplicas(builder.Configuration.GetValue("VSmenu:WorkerReplicas", 1))
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WithProviders(builder, mode)
    .WaitForCompletion(migrations)
    .WithHealthProbes()
    .WithRestartOnExitCode(WorkerRecycleExitCode);

builder.Services.AddPromptReadiness();

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
