using System.Net;
using System.Net.Http.Headers;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>Stops the shared PostgreSQL.</summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class DatabaseOutageTests(TopologyFixture topology)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [Fact]
    public async Task With_postgres_stopped_the_api_answers_503_within_2_seconds_and_recovers_by_itself()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var menu = await owner.CreateMenuAsync(10.00m);
        // A client that gives up after 2 s: a request held longer than that fails the test.
        using var impatient = ApiSession.CreateDeviceClient(topology);
        impatient.Timeout = TimeSpan.FromSeconds(2);
        impatient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", owner.Token);

        await topology.StopResourceAsync("postgres");
        try
        {
            foreach (var request in new Func<HttpRequestMessage>[]
            {
                () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/orders"),
                () => new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me"),
                () => new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(OrderBodies.Takeaway(menu.CustomerId, menu.Products[0])),
                },
            })
            {
                using var message = request();
                var sent = System.Diagnostics.Stopwatch.StartNew();
                var response = await ApiResponse.ReadAsync(await impatient.SendAsync(message, Cancellation));
                TestContext.Current.TestOutputHelper?.WriteLine($"{message.Method} {message.RequestUri}: {(int)response.Status} in {sent.ElapsedMilliseconds} ms");
                response.AssertStatus(HttpStatusCode.ServiceUnavailable);
                Assert.Equal("Serviço temporariamente indisponível; tente novamente em instantes.", response.Message);
                Assert.Equal("5", RateLimitTests.Header(response.Raw, "Retry-After"));
                Assert.NotNull(response.Body!["trace_id"]);
            }
        }
        finally
        {
            await topology.StartResourceAsync("postgres");
        }

        await Eventually.ReturnsAsync(() => owner.GetAsync("/api/v1/orders"), response => response.Status == HttpStatusCode.OK, "answering again");
        (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        // One replica answering is not all: the next outage test starts with every circuit closed.
        await topology.WaitUntilEveryReplicaIsReadyAsync("api", "worker");
    }
}
