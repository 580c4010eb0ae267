using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace VSmenu.UnitTests.ServiceDefaults;

public sealed class HealthReportWriterTests
{
    [Fact]
    public async Task Writes_each_check_status_and_nothing_else()
    {
        var report = new HealthReport(
            new Dictionary<string, HealthReportEntry>
            {
                ["redis"] = new(HealthStatus.Healthy, null, TimeSpan.FromMilliseconds(3), null, null),
                ["vsmenudb"] = new(HealthStatus.Unhealthy, "Host=db.internal;Password=secret", TimeSpan.FromMilliseconds(9),
                    new InvalidOperationException("connection refused to db.internal:5432"), new Dictionary<string, object> { ["host"] = "db.internal" }),
            },
            TimeSpan.FromMilliseconds(10));
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };

        await HealthReportWriter.WriteAsync(context, report);

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync(TestContext.Current.CancellationToken);
        using var json = JsonDocument.Parse(body);
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("status").GetString());
        Assert.Equal("Healthy", json.RootElement.GetProperty("checks").GetProperty("redis").GetString());
        Assert.Equal("Unhealthy", json.RootElement.GetProperty("checks").GetProperty("vsmenudb").GetString());
        Assert.DoesNotContain("db.internal", body);
        Assert.DoesNotContain("secret", body);
        Assert.Equal("no-store", context.Response.Headers.CacheControl);
    }
}
