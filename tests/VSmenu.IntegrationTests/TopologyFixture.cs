using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Npgsql;
using VSmenu.Testing;

[assembly: AssemblyFixture(typeof(VSmenu.IntegrationTests.TopologyFixture))]

namespace VSmenu.IntegrationTests;

/// <summary>
/// The whole AppHost, booted once for the test assembly in the mode this machine supports (local processes
/// where no container runtime answers) and torn down, data folder included, at the end.
/// </summary>
public sealed class TopologyFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The topology has not started.");

    public async ValueTask InitializeAsync()
    {
        _app = await VsmenuTopology.StartAsync(new DiagnosticLoggerProvider(), TestContext.Current.CancellationToken);
    }

    public HttpClient CreateHttpClient(string resourceName) => App.CreateHttpClient(resourceName, "http");

    /// <summary>A connection to the application database, for checking from outside what the services wrote.</summary>
    public async Task<NpgsqlConnection> OpenDatabaseAsync()
    {
        var connection = new NpgsqlConnection(await App.GetConnectionStringAsync("vsmenudb", TestContext.Current.CancellationToken));
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        return connection;
    }

    public async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = await OpenDatabaseAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}
