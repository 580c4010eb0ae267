using VSmenu.Data;

namespace VSmenu.Worker.Outbox;

public static class OutboxRelayExtensions
{
    /// <summary>Adds the relay that publishes the outbox to Redis pub/sub, on its own PostgreSQL data source.</summary>
    public static WebApplicationBuilder AddOutboxRelay(this WebApplicationBuilder builder)
    {
        // The EF context's checks already cover the database; this source only adds LISTEN and the relay's queries.
        builder.AddNpgsqlDataSource(VsmenuDataExtensions.DatabaseResourceName, settings =>
        {
            settings.DisableHealthChecks = true;
            settings.ConnectionString = VsmenuDataExtensions.TunedConnectionString(builder.Configuration);
        });
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
