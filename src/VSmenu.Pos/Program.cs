using VSmenu.Pos;
using VSmenu.Pos.Ipc;

// `vsmenu-pos call <channel> [json args...]`: one call to a running terminal, for support staff and scripts.
if (args is ["call", ..])
{
    return await IpcCommandLine.CallAsync(args[1..]);
}

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddPosStore();
builder.AddPosApi();
builder.AddPosSync();
builder.AddPosLiveUpdates();
builder.AddPosIpc();
builder.AddDemoRestaurant();

await builder.Build().RunAsync();
return 0;
