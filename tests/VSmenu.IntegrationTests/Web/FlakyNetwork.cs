using System.Collections.Concurrent;
using System.Net;
using System.Text;
using PuppeteerSharp;

namespace VSmenu.IntegrationTests.Web;

/// <summary>
/// The network between a page and the api failing as a test plans it: the page's requests with a given method and path
/// meet the planned faults in turn, then go through; every such request is recorded with its <c>Idempotency-Key</c>.
/// The page's other requests go through untouched.
/// </summary>
public sealed class FlakyNetwork
{
    private readonly ConcurrentQueue<Func<IRequest, Task>> _faults;
    private readonly ConcurrentQueue<Attempt> _attempts = new();
    private readonly ConcurrentQueue<string> _failures = new();

    private FlakyNetwork(IEnumerable<Func<IRequest, Task>> faults) => _faults = new(faults);

    public sealed record Attempt(DateTimeOffset At, string? IdempotencyKey);

    public IReadOnlyList<Attempt> Attempts => [.. _attempts];

    /// <summary>Faults that could not be played as planned (a request meant to reach the api that it refused).</summary>
    public IReadOnlyList<string> Failures => [.. _failures];

    public static async Task<FlakyNetwork> InterceptAsync(IPage page, HttpMethod method, string path, params Func<IRequest, Task>[] faults)
    {
        var network = new FlakyNetwork(faults);
        await page.SetRequestInterceptionAsync(true);
        page.Request += async (_, e) =>
        {
            var request = e.Request;
            try
            {
                // Cross-origin writes are preceded by a CORS preflight (OPTIONS), which passes like any other request.
                if (request.Method != method || new Uri(request.Url).AbsolutePath != path)
                {
                    await request.ContinueAsync();
                    return;
                }

                network._attempts.Enqueue(new Attempt(DateTimeOffset.UtcNow, HeaderOf(request, "Idempotency-Key")));
                await (network._faults.TryDequeue(out var fault) ? fault(request) : request.ContinueAsync());
            }
            catch (PuppeteerException)
            {
                // The page closed with the request in flight: there is nobody left to answer.
            }
            catch (HttpRequestException failure)
            {
                network._failures.Enqueue(failure.Message);
            }
        };
        return network;
    }

    /// <summary>An answer from the network (a proxy, a gateway), as the api would give it to the page's origin.</summary>
    public static Func<IRequest, Task> Answer(HttpStatusCode status, string? retryAfter = null) => request =>
    {
        var headers = new Dictionary<string, object>
        {
            ["Access-Control-Allow-Origin"] = HeaderOf(request, "Origin") ?? "*",
            ["Access-Control-Expose-Headers"] = "Retry-After",
        };
        if (retryAfter is not null)
        {
            headers["Retry-After"] = retryAfter;
        }

        return request.RespondAsync(new ResponseData
        {
            Status = status,
            ContentType = "application/json",
            Body = """{"message":"Injected by the test's network."}""",
            Headers = headers,
        });
    };

    /// <summary>The connection drops before the request reaches the api.</summary>
    public static Func<IRequest, Task> Dropped() => request => request.AbortAsync(RequestAbortErrorCode.ConnectionReset);

    /// <summary>The request reaches the api and is carried out, but its answer is lost: the page gets a 503 from the gateway.</summary>
    public static Func<IRequest, Task> AnswerLost() => async request =>
    {
        using var api = new HttpClient();
        using var delivered = new HttpRequestMessage(request.Method, request.Url)
        {
            Content = new StringContent(request.PostData?.ToString() ?? "", Encoding.UTF8, "application/json"),
        };
        foreach (var name in new[] { "Authorization", "Idempotency-Key", "Accept" })
        {
            delivered.Headers.TryAddWithoutValidation(name, HeaderOf(request, name));
        }

        using var answer = await api.SendAsync(delivered);
        answer.EnsureSuccessStatusCode();
        await Answer(HttpStatusCode.ServiceUnavailable)(request);
    };

    private static string? HeaderOf(IRequest request, string name) =>
        request.Headers.FirstOrDefault(header => string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase)).Value;
}
