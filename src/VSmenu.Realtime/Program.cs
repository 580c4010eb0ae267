using VSmenu.Realtime.HttpApi;
using VSmenu.Realtime.Pusher;
using VSmenu.Redis;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddTrustedProxies();
builder.AddVsmenuRedis();
builder.AddPusherHub();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseWebSockets();
app.UsePusherRequestSignatures();

app.MapDefaultEndpoints();
app.MapPusherHub();
app.MapPusherHttpApi();

app.Run();
