using VSmenu.Api;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVsmenuData();
builder.AddVsmenuDataReadinessChecks();
builder.AddVsmenuRedis();
builder.AddApiConventions();
builder.AddVsmenuAuth();
builder.AddVsmenuOpenApi();

var app = builder.Build();

app.UseApiConventions();
app.UseAuthentication();
app.UseAuthorization();

app.MapDefaultEndpoints();
app.MapVsmenuOpenApi();
app.MapApiV1();

app.Run();
