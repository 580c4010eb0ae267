using Microsoft.Extensions.Configuration;
using VSmenu.AppHost.Infrastructure;

const string HealthPath = "/health";

var builder = DistributedApplication.CreateBuilder(args);

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

var (redis, database) = infrastructure;

var migrations = builder.AddProject<Projects.VSmenu_MigrationService>("migrations")
    .WithReference(database).WaitFor(database);

builder.AddProject<Projects.VSmenu_Realtime>("realtime")
    .WithReference(redis).WaitFor(redis)
    .WithHttpHealthCheck(HealthPath);

// More than one replica shows what a deployment behind a load balancer does: limits, idempotency keys and events
// shared through Redis and PostgreSQL, not one process's memory.
var apiReplicas = builder.Configuration.GetValue("VSmenu:ApiReplicas", 1);

builder.AddProject<Projects.VSmenu_Api>("api")
    .WithReplicas(apiReplicas)
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck(HealthPath);

builder.AddProject<Projects.VSmenu_Worker>("worker")
    .WithReference(database).WaitFor(database)
    .WithReference(redis).WaitFor(redis)
    .WaitForCompletion(migrations)
    .WithHttpHealthCheck(HealthPath);

builder.Build().Run();
return 0;
