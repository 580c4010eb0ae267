using VSmenu.Api;
using VSmenu.Api.Auth;
using VSmenu.Api.Broadcasting;
using VSmenu.Api.Edge.Cors;
using VSmenu.Api.Edge.Idempotency;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.Edge.RequestLogging;
using VSmenu.Api.Infrastructure;
using VSmenu.Api.Orders;
using VSmenu.Api.Sync;
using VSmenu.Api.SystemStatus;
using VSmenu.Data;
using VSmenu.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVsmenuData();
builder.AddVsmenuDataReadinessChecks();
builder.AddVsmenuRedis();
builder.AddApiConventions();
builder.AddTrustedProxies();
builder.AddApiCors();
builder.AddApiRateLimits();
builder.AddIdempotencyKeys();
builder.AddVsmenuAuth();
builder.AddBroadcasting();
builder.AddOrders();
builder.AddOfflineSync();
builder.AddSystemStatus();
builder.AddVsmenuOpenApi();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseRequestLogs();
app.UseApiConventions();
app.UseUtf8Bodies();
app.UseApiCors();
app.UseAuthentication();
app.UseApiRateLimits();
app.UseAuthorization();
app.UseUnambiguousJson();
app.UseIdempotencyKeys();

app.MapDefaultEndpoints();
app.MapVsmenuOpenApi();
app.MapApiV1();
app.MapLaravelBroadcastingAuth();

app.Run();
