using VSmenu.Data;
using VSmenu.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddVsmenuData();
builder.AddVsmenuDataReadinessChecks();
builder.AddVsmenuRedis();

var app = builder.Build();

app.MapDefaultEndpoints();

app.Run();
