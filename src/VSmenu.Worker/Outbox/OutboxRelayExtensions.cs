using Npgsql;
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
            // The one source whose connections hold session state: a LISTEN connection given back to the pool (at shutdown,
            // or after a LISTEN that failed) keeps its channel unless Npgsql resets it, so the reset stays on here.
            settings.ConnectionString = new NpgsqlConnectionStringBuilder(VsmenuDataExtensions.TunedConnectionString(builder.Configuration))
            {
                NoResetOnClose = false,
            }.ConnectionString;
        });
        builder.Services.AddHostedService<OutboxRelay>();
        return builder;
    }
}
