using System.Net;
using System.Text;
using VSmenu.Broadcasting;
using VSmenu.IntegrationTests.Api;

namespace VSmenu.IntegrationTests.Realtime;

/// <summary>The hub's HTTP API refuses what Pusher refuses, with Pusher's statuses.</summary>
public sealed class HttpApiTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Stale_or_future_timestamps_a_wrong_body_md5_and_a_wrong_key_are_401()
    {
        var app = await AppAsync();
        var body = Encoding.UTF8.GetBytes("""{"name":"e","channel":"board","data":"{}"}""");

        var fresh = await SendAsync(app, HttpMethod.Post, "events", body, DateTimeOffset.UtcNow);
        var stale = await SendAsync(app, HttpMethod.Post, "events", body, DateTimeOffset.UtcNow.AddSeconds(-601));
        var future = await SendAsync(app, HttpMethod.Post, "events", body, DateTimeOffset.UtcNow.AddSeconds(601));
        var tampered = await SendAsync(app, HttpMethod.Post, "events", body, DateTimeOffset.UtcNow, sentBody: Encoding.UTF8.GetBytes("""{"name":"e","channel":"board","data":"{\"x\":1}"}"""));
        var wrongKey = await SendAsync(new PusherAppOptions { AppId = app.AppId, Key = "other-key", Secret = app.Secret }, HttpMethod.Post, "events", body, DateTimeOffset.UtcNow);

        fresh.AssertStatus(HttpStatusCode.OK);
        foreach (var refused in new[] { stale, future, tampered, wrongKey })
        {
            refused.AssertStatus(HttpStatusCode.Unauthorized);
            Assert.False(string.IsNullOrEmpty(refused.Body!["error"]!.GetValue<string>()));
        }
    }

    [Fact]
    public async Task Unknown_apps_are_404_oversize_data_413_and_malformed_or_ambiguous_requests_400()
    {
        var app = await AppAsync();
        var now = DateTimeOffset.UtcNow;

        var unknownApp = await SendAsync(new PusherAppOptions { AppId = "999", Key = app.Key, Secret = app.Secret }, HttpMethod.Get, "channels", [], now);
        var oversize = await SendAsync(app, HttpMethod.Post, "events", Encoding.UTF8.GetBytes($$"""{"name":"e","channel":"board","data":"{{new string('x', 10 * 1024 + 1)}}"}"""), now);
        var tooManyChannels = await SendAsync(app, HttpMethod.Post, "events",
            Encoding.UTF8.GetBytes($$"""{"name":"e","channels":[{{string.Join(",", Enumerable.Range(0, 101).Select(i => $"\"c{i}\""))}}],"data":"{}"}"""), now);
        var badChannel = await SendAsync(app, HttpMethod.Post, "events", Encoding.UTF8.GetBytes("""{"name":"e","channel":"not valid","data":"{}"}"""), now);
        var objectData = await SendAsync(app, HttpMethod.Post, "events", Encoding.UTF8.GetBytes("""{"name":"e","channel":"board","data":{"x":1}}"""), now);
        var notJson = await SendAsync(app, HttpMethod.Post, "events", Encoding.UTF8.GetBytes("{"), now);
        var channelTwice = await SendAsync(app, HttpMethod.Post, "events", Encoding.UTF8.GetBytes("""{"name":"e","channel":"board","Channel":"private-orders.1","data":"{}"}"""), now);
        var usersOfPrivate = await SendAsync(app, HttpMethod.Get, "channels/private-orders.1/users", [], now);

        unknownApp.AssertStatus(HttpStatusCode.NotFound);
        oversize.AssertStatus(HttpStatusCode.RequestEntityTooLarge);
        foreach (var refused in new[] { tooManyChannels, badChannel, objectData, notJson, usersOfPrivate, channelTwice })
        {
            refused.AssertStatus(HttpStatusCode.BadRequest);
        }
    }

    private async Task<PusherAppOptions> AppAsync() => new()
    {
        AppId = await PusherClient.AppSettingAsync(topology, "pusher-app-id"),
        Key = await PusherClient.AppSettingAsync(topology, "pusher-app-key"),
        Secret = await PusherClient.AppSettingAsync(topology, "pusher-app-secret"),
    };

    private async Task<ApiResponse> SendAsync(PusherAppOptions app, HttpMethod method, string resource, byte[] body, DateTimeOffset signedAt, byte[]? sentBody = null)
    {
        using var http = topology.CreateHttpClient("realtime");
        var path = $"/apps/{app.AppId}/{resource}";
        var query = PusherRequestSignature.SignedQuery(app, method.Method, path, new Dictionary<string, string>(), body, signedAt);
        using var request = new HttpRequestMessage(method, $"{path}?{query}");
        if (body.Length > 0 || sentBody is not null)
        {
            request.Content = new ByteArrayContent(sentBody ?? body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        return await ApiResponse.ReadAsync(await http.SendAsync(request, Cancellation));
    }
}
