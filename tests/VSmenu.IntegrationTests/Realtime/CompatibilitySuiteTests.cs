using Aspire.Hosting.Testing;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>
/// Stock clients against the booted topology: the Node scripts in <c>tests/compat</c> drive pusher-js 8.6.0 and
/// laravel-echo 2.5.0 (as the spec's main.js and useOrderEvents.js use them) with the REST API. The packages are
/// installed from the committed lock file the first time.
/// </summary>
public sealed class CompatibilitySuiteTests(TopologyFixture topology)
{
    private static readonly SemaphoreSlim Export = new(1, 1);

    [Theory]
    [InlineData("echo-private")]
    [InlineData("echo-presence")]
    [InlineData("whisper")]
    [InlineData("isolation")]
    [InlineData("http-api")]
    public async Task Stock_pusher_clients_pass_the_script(string script)
    {
        await NodeScript.EnsureInstalledAsync();
        var (exitCode, output) = await NodeScript.RunAsync("node", ["--test", "--test-reporter=spec", $"{script}.test.mjs"], await EnvironmentAsync(topology));

        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(exitCode == 0, $"{script}.test.mjs failed:{Environment.NewLine}{output}");
    }

    /// <summary>What <c>tests/compat/harness.mjs</c> reads: the api's address, the hub's host and ports, and the Pusher app.</summary>
    internal static async Task<Dictionary<string, string>> EnvironmentAsync(TopologyFixture topology)
    {
        using var api = topology.CreateHttpClient("api");
        using var realtime = topology.CreateHttpClient("realtime");
        var secureRealtime = topology.App.GetEndpoint("realtime", "https");
        return new Dictionary<string, string>
        {
            ["VSMENU_API_URL"] = api.BaseAddress!.ToString().TrimEnd('/'),
            ["VSMENU_WS_HOST"] = realtime.BaseAddress!.Host,
            ["VSMENU_WS_PORT"] = realtime.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["VSMENU_WSS_PORT"] = secureRealtime.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The hub's wss endpoint serves the ASP.NET development certificate: Node trusts it through its PEM export.
            ["NODE_EXTRA_CA_CERTS"] = await DevelopmentCertificatePemAsync(),
            ["PUSHER_APP_ID"] = await PusherClient.AppSettingAsync(topology, "pusher-app-id"),
            ["PUSHER_APP_KEY"] = await PusherClient.AppSettingAsync(topology, "pusher-app-key"),
            ["PUSHER_APP_SECRET"] = await PusherClient.AppSettingAsync(topology, "pusher-app-secret"),
        };
    }

    /// <summary>Exports the development certificate the hub serves (once per run) and returns the PEM's path.</summary>
    private static async Task<string> DevelopmentCertificatePemAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), $"vsmenu-devcert-{Environment.ProcessId}");
        var pem = Path.Combine(directory, "aspnetcore-dev.pem");
        await Export.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (!File.Exists(pem))
            {
                Directory.CreateDirectory(directory);
                var (exitCode, output) = await NodeScript.RunAsync("dotnet", ["dev-certs", "https", "--export-path", pem, "--format", "Pem", "--no-password"], new Dictionary<string, string>());
                Assert.True(exitCode == 0, $"Exporting the development certificate failed:{Environment.NewLine}{output}");
            }
        }
        finally
        {
            Export.Release();
        }

        return pem;
    }
}
