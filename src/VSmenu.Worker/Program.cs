using VSmenu.Data;
using VSmenu.Redis;
using VSmenu.Worker.ExternalServices;
using VSmenu.Worker.Jobs;
using VSmenu.Worker.Outbox;

// A web host rather than a bare worker host: the AppHost and production probes read its /health and /alive.
var builder = WebApplication.CreateBuilder(args);
if (ProductionProviders.Missing(builder) is { } missing)
{
    Console.Error.WriteLine(missing);
    return 1;
}

builder.AddServiceDefaults();
builder.AddVsmenuData();
builder.AddVsmenuDataReadinessChecks();
builder.AddVsmenuRedis();
builder.AddOutboxRelay();
builder.AddVsmenuJobs(args);

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
return 0;
