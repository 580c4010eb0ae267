using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>One structured line per request, read from the api replicas' own console output.</summary>
public sealed class RequestLogTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_request_is_logged_with_route_status_duration_user_tenant_address_and_trace_but_no_secrets()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var address = ApiSession.UniqueClientAddress();
        using var device = ApiSession.CreateDeviceClient(topology, address);
        var loginTrace = ActivityTraceId.CreateRandom().ToHexString();
        var listTrace = ActivityTraceId.CreateRandom().ToHexString();

        using var login = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/login")
        {
            Content = JsonContent.Create(new { email = owner.Email, password = ApiSession.Password }),
        };
        login.Headers.Add("traceparent", TraceParent(loginTrace));
        var signedIn = (await ApiResponse.ReadAsync(await device.SendAsync(login, Cancellation))).AssertStatus(HttpStatusCode.OK);
        var token = signedIn.Data["token"]!.GetValue<string>();
        using var list = new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders?per_page=5&sort=-created_at");
        list.Headers.Add("traceparent", TraceParent(listTrace));
        list.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        (await ApiResponse.ReadAsync(await device.SendAsync(list, Cancellation))).AssertStatus(HttpStatusCode.OK);

        var lines = await topology.ReadLogsUntilAsync("api", line => line.Contains(listTrace, StringComparison.Ordinal));

        var loginLine = Assert.Single(lines, line => line.Contains($"trace {loginTrace}", StringComparison.Ordinal));
        var listLine = Assert.Single(lines, line => line.Contains($"trace {listTrace}", StringComparison.Ordinal));
        Assert.Matches($@"HTTP POST /api/v1/auth/login responded 200 in \d+(\.\d)? ms \(user \(null\), tenant \(null\), ip {address},", loginLine);
        Assert.Matches(
            $@"HTTP GET /api/v1/orders/ responded 200 in \d+(\.\d)? ms \(user {owner.UserId}, tenant {owner.TenantId}, ip {address},",
            listLine);
        Assert.DoesNotContain(lines, line => line.Contains(ApiSession.Password, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(token.Split('|')[1], StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains(owner.Token.Split('|')[1], StringComparison.Ordinal));
        Assert.DoesNotContain("per_page", listLine, StringComparison.Ordinal);
    }

    internal static string TraceParent(string traceId) => $"00-{traceId}-{ActivitySpanId.CreateRandom().ToHexString()}-01";
}
