using System.Text.Json;
using System.Text.Json.Serialization;
using VSmenu.Sandbox;

// Plays the external providers (payment gateway, marketplace) in development and tests; told to fail, hang or recover.
var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddSingleton<Providers>();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
    json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
});

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapSandboxEndpoints();

app.Run();
