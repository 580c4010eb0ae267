using VSmenu.Data;
using VSmenu.MigrationService;

var builder = Host.CreateApplicationBuilder(args);

builder.AddServiceDefaults();
builder.AddVsmenuData();
builder.Services.AddHostedService<DatabaseMigrator>();

builder.Build().Run();
