using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using VSmenu.IntegrationTests.Api.Edge;

namespace VSmenu.IntegrationTests.Api;

/// <summary>
/// A shift starting: every waiter signs in at once, and each sign-in hashes a password (tens of milliseconds of CPU). Alone,
/// after the parallel tests: it asserts that no circuit opened, which another test's outage would make happen.
/// </summary>
[Collection(nameof(InfrastructureOutage))]
public sealed class SignInRushTests(TopologyFixture topology)
{
    private const int Waiters = 64;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    /// <summary>
    /// Hashed on the requests' own threads, the rush took every thread of the api's pool: answers PostgreSQL and Redis had
    /// sent waited behind the hashes, the api opened its circuit on Redis 3 or 4 times in each run, and a Npgsql read timed
    /// out and answered 503 (the first call of <see cref="Edge.FrozenDatabaseTests"/>, which signs in 64 waiters, failed so in CI).
    /// </summary>
    [Fact]
    public async Task Sixty_four_waiters_signing_in_at_once_are_all_let_in_and_the_api_opens_no_circuit_on_its_healthy_stores()
    {
        using var owner = await ApiSession.RegisterAsync(topology);
        var rushStarted = DateTimeOffset.UtcNow;

        var waiters = await Task.WhenAll(Enumerable.Range(0, Waiters).Select(_ => owner.AddStaffAsync("waiter")));

        foreach (var waiter in waiters)
        {
            waiter.Dispose();
        }

        var opened = (await ApiLogsUntilNowAsync(owner.Token)).Distinct()
            .Where(line => line.Contains("its circuit is open", StringComparison.Ordinal) && (LoggedAt(line) ?? DateTimeOffset.MaxValue) >= rushStarted)
            .ToList();
        Assert.True(opened.Count == 0, $"Circuits opened during the rush: {string.Join(" | ", opened)}");
    }

    /// <summary>Every api replica's console lines until a request sent to it now, so that all it logged before is there.</summary>
    private async Task<IReadOnlyList<string>> ApiLogsUntilNowAsync(string token)
    {
        var lines = new List<string>();
        foreach (var replica in await topology.CreateReplicaClientsAsync("api"))
        {
            using (replica)
            {
                var trace = ActivityTraceId.CreateRandom().ToHexString();
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/auth/me");
                request.Headers.Add("traceparent", RequestLogTests.TraceParent(trace));
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                (await ApiResponse.ReadAsync(await replica.SendAsync(request, Cancellation))).AssertStatus(HttpStatusCode.OK);
                lines.AddRange(await topology.ReadLogsUntilAsync("api", line => line.Contains(trace, StringComparison.Ordinal)));
            }
        }

        return lines;
    }

    /// <summary>The time the orchestrator stamped a console line with, when it has one.</summary>
    private static DateTimeOffset? LoggedAt(string line) =>
        DateTimeOffset.TryParse(line.Split(' ', 2)[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
