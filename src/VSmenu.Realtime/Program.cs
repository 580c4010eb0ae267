using VSmenu.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVsmenuRedis();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
