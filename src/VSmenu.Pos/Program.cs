using VSmenu.Pos;
using VSmenu.Pos.Ipc;

// `vsmenu-pos call <channel> [json args...]`: one call to a running terminal, for support staff and scripts.
if (args is ["call", ..])
{
    return await IpcCommandLine.CallAsync(args[1..]);
}

// A till is started from anywhere (a desktop shortcut, an Electron shell, a test): its settings are those installed with it,
// not whatever folder it was started in, where its log levels went missing and every HTTP call was logged.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

builder.AddServiceDefaults();
builder.AddPosStore();
builder.AddPosApi();
builder.AddPosSync();
builder.AddPosLiveUpdates();
builder.AddPosIpc();
builder.AddDemoRestaurant();

await builder.Build().RunAsync();
return 0;
