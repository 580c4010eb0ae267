using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>
/// Every operation the OpenAPI document lists, hit with generated malformed requests: broken and wrong-typed JSON,
/// huge numbers and bodies, bad ids, query strings and headers. Each must get a 4xx with a message, never a 5xx.
/// </summary>
public sealed partial class GeneratedBadInputTests(TopologyFixture topology)
{
    /// <summary>
    /// What one restaurant's owner may send within the rate limits (100 a minute, 10 new orders, some spent on setting
    /// up), so that each malformed request is judged by its endpoint rather than refused as one too many.
    /// </summary>
    private const int RequestsPerSession = 80;

    private const int OrdersPerSession = 8;

    private const int ParallelClients = 4;

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static readonly string[] StructurallyBroken =
    [
        "", "{", "}", "[", "null", "42", "\"text\"", "{\"a\":}", "{'single':'quotes'}", "{\"a\":1,}", "{\"a\":1}{\"b\":2}",
        "{\"a\":\"\\uD800\"}", "{\"a\":\"unterminated}", "\u0000", new string('[', 2_000) + new string(']', 2_000),
        "{\"a\":" + new string('9', 5_000) + "}", "{\"a\":1e999}", "{\"a\":-1e999}", "{\"a\":NaN}", "{\"a\":Infinity}",
    ];

    private static readonly string[] WrongValues =
    [
        "true", "\"text\"", "1.5", "-1", "[]", "{}", "99999999999999999999999999", "1e400", "\"" + new string('x', 10_000) + "\"",
        "[1,2,3]", "{\"nested\":{\"deeper\":[null]}}", "\"2026-13-45T99:99:99Z\"",
    ];

    private static readonly string[] BadIds = ["abc", "-1", "0", "99999999999999999999", "1.5", "1e3", "%20", "%E2%82%AC", "999999999"];

    private static readonly string[] BadQueries =
    [
        "page=-1", "page=abc", "page=99999999999999999999", "per_page=0", "per_page=1000000", "per_page=1e2", "sort=", "sort=,,,",
        "sort=-", "sort=%00", "include=%FF%FE", "include=,", "status=", "unknown=1", "created_from=9999-99-99", "created_to=yesterday",
        "customer_id=1e99", "page=1&page=2", "sort=" + new string('a', 5_000), "search=%25%5F%5C",
    ];

    [Fact]
    public async Task Hundreds_of_malformed_requests_across_every_endpoint_get_a_4xx_with_a_message_and_never_a_5xx()
    {
        using var reader = ApiSession.CreateDeviceClient(topology);
        var document = JsonNode.Parse(await reader.GetStringAsync("/openapi/v1.json", Cancellation))!;
        var requests = Generate(document).ToList();
        Assert.InRange(requests.Count, 300, 3_000);

        var orders = new System.Collections.Concurrent.ConcurrentQueue<BadRequest>(requests.Where(request => request.CreatesOrder));
        var others = new System.Collections.Concurrent.ConcurrentQueue<BadRequest>(requests.Where(request => !request.CreatesOrder));
        var outcomes = new System.Collections.Concurrent.ConcurrentBag<(BadRequest Request, HttpStatusCode Status, string Body)>();
        await Task.WhenAll(Enumerable.Range(0, ParallelClients).Select(async _ =>
        {
            while (!orders.IsEmpty || !others.IsEmpty)
            {
                using var owner = await ApiSession.RegisterAsync(topology);
                var ids = await CreateOneOfEachAsync(owner);
                var batch = Take(orders, OrdersPerSession).Concat(Take(others, RequestsPerSession - OrdersPerSession));
                foreach (var request in batch)
                {
                    using var message = request.Build(owner.Token, ids);
                    using var response = await owner.Http.SendAsync(message, Cancellation);
                    outcomes.Add((request, response.StatusCode, await response.Content.ReadAsStringAsync(Cancellation)));
                }
            }
        }));

        TestContext.Current.TestOutputHelper?.WriteLine($"{outcomes.Count} requests: " + string.Join(", ",
            outcomes.GroupBy(outcome => (int)outcome.Status).OrderBy(group => group.Key).Select(group => $"{group.Key} x{group.Count()}")));
        Assert.Equal(requests.Count, outcomes.Count);
        var wrong = outcomes.Where(outcome => (int)outcome.Status >= 500 || outcome.Status == HttpStatusCode.TooManyRequests
                                              || ((int)outcome.Status >= 400 && !HasMessage(outcome.Body)))
            .Select(outcome => $"{(int)outcome.Status} for {outcome.Request}: {Shorten(outcome.Body)}")
            .ToList();
        Assert.True(wrong.Count == 0, string.Join(Environment.NewLine, wrong.Take(20)));
    }

    private static IEnumerable<BadRequest> Take(System.Collections.Concurrent.ConcurrentQueue<BadRequest> queue, int count)
    {
        for (var taken = 0; taken < count && queue.TryDequeue(out var request); taken++)
        {
            yield return request;
        }
    }

    private static IEnumerable<BadRequest> Generate(JsonNode document)
    {
        var schemas = document["components"]!["schemas"]!;
        foreach (var (template, operations) in document["paths"]!.AsObject())
        {
            foreach (var (method, operation) in operations!.AsObject())
            {
                foreach (var request in ForOperation(template, new HttpMethod(method.ToUpperInvariant()), operation!, schemas))
                {
                    yield return operation!["security"] is null ? request with { Anonymous = true } : request;
                }
            }

            foreach (var headers in BadHeaders())
            {
                yield return new BadRequest(HttpMethod.Get, template, null, Headers: headers);
            }
        }
    }

    private static IEnumerable<BadRequest> ForOperation(string path, HttpMethod verb, JsonNode operation, JsonNode schemas)
    {
        foreach (var badPath in BadPaths(path))
        {
            yield return new BadRequest(verb, badPath, verb == HttpMethod.Get || verb == HttpMethod.Delete ? null : "{}");
        }

        if (verb == HttpMethod.Get)
        {
            foreach (var query in BadQueries)
            {
                yield return new BadRequest(verb, $"{path}?{query}", null);
            }
        }

        if (operation["requestBody"] is null)
        {
            yield break;
        }

        foreach (var body in StructurallyBroken)
        {
            yield return new BadRequest(verb, path, body);
        }

        var fields = RequestFields(operation, schemas).ToList();
        for (var i = 0; i < fields.Count * 3; i++)
        {
            yield return new BadRequest(verb, path, $"{{\"{fields[i % fields.Count]}\":{WrongValues[i % WrongValues.Length]}}}");
        }

        yield return new BadRequest(verb, path, "{\"name\":\"" + new string('x', 300 * 1024) + "\"}");
        yield return new BadRequest(verb, path, "{\"name\":\"x\"}", ContentType: "text/plain");
        yield return new BadRequest(verb, path, "name=x", ContentType: "application/x-www-form-urlencoded");
        yield return new BadRequest(verb, path, "<name>x</name>", ContentType: "application/xml");
        yield return new BadRequest(verb, path, "{\"name\":\"x\"}", ContentType: "application/json; charset=ebcdic");
        yield return new BadRequest(verb, path, "{\"name\":\"x\"}", ContentType: "application/json; charset=\"utf-16\"");
        yield return new BadRequest(verb, path, "{\"name\":\"x\"}", ContentType: "application/json; charset=");
        yield return new BadRequest(verb, path, "{}", Headers: [("Idempotency-Key", new string('k', 300))]);
    }

    private static IEnumerable<(string Name, string Value)[]> BadHeaders()
    {
        yield return [("Authorization", "Bearer")];
        yield return [("Authorization", "Bearer ")];
        yield return [("Authorization", "Bearer 1|" + new string('z', 64))];
        yield return [("Authorization", "Bearer 99999999999999999999|abc")];
        yield return [("Authorization", "Bearer " + new string('a', 8_000))];
        yield return [("Authorization", "Basic dXNlcjpwYXNz")];
        yield return [("Accept-Language", "zz-ZZ;q=abc, *;q=-1")];
        yield return [("X-Socket-ID", new string('9', 2_000))];
        yield return [("X-Forwarded-For", "not-an-ip, ::::, 999.1.1.1")];
    }

    /// <summary>The path with its parameters replaced by bad values, one parameter at a time.</summary>
    private static IEnumerable<string> BadPaths(string template)
    {
        foreach (Match parameter in Parameter().Matches(template))
        {
            foreach (var bad in BadIds)
            {
                yield return template.Replace(parameter.Value, bad, StringComparison.Ordinal);
            }
        }
    }

    private static string WithIds(string template, IReadOnlyDictionary<string, long> ids) =>
        Parameter().Replace(template, match =>
        {
            var segments = template[..match.Index].TrimEnd('/').Split('/');
            var key = match.Groups[1].Value == "id" ? segments[^1] : match.Groups[1].Value;
            return ids.TryGetValue(key, out var id) ? id.ToString(System.Globalization.CultureInfo.InvariantCulture) : "1";
        });

    private static IEnumerable<string> RequestFields(JsonNode operation, JsonNode schemas)
    {
        var schema = operation["requestBody"]!["content"]?["application/json"]?["schema"];
        var reference = schema?["$ref"]?.GetValue<string>();
        if (reference is not null)
        {
            schema = schemas[reference.Split('/')[^1]];
        }

        return schema?["properties"]?.AsObject().Select(property => property.Key) ?? ["name"];
    }

    private static async Task<Dictionary<string, long>> CreateOneOfEachAsync(ApiSession owner)
    {
        var menu = await owner.CreateMenuAsync(10.00m);
        var order = (await owner.CreateTakeawayOrderAsync(menu, (0, 1))).AssertStatus(HttpStatusCode.Created);
        return new Dictionary<string, long>
        {
            ["users"] = owner.UserId,
            ["categories"] = menu.CategoryId,
            ["products"] = menu.Products[0],
            ["customers"] = menu.CustomerId,
            ["customerId"] = menu.CustomerId,
            ["addresses"] = await owner.CreateAddressAsync(menu.CustomerId),
            ["tables"] = await owner.CreateTableAsync(1),
            ["orders"] = order.Id,
            ["orderId"] = order.Id,
            ["items"] = order.Data["items"]![0]!["id"]!.GetValue<long>(),
        };
    }

    private static bool HasMessage(string body)
    {
        try
        {
            return !string.IsNullOrWhiteSpace(JsonNode.Parse(body)?["message"]?.GetValue<string>());
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Parameter();

    /// <summary>A request to send; the real ids of the sending restaurant fill the parameters its path still has.</summary>
    private sealed record BadRequest(HttpMethod Method, string Path, string? Body, string ContentType = "application/json", (string Name, string Value)[]? Headers = null)
    {
        public bool CreatesOrder => Method == HttpMethod.Post && Path == "/api/v1/orders";

        /// <summary>
        /// Sent from a device of its own: requests that count against an address rather than the user (sign-in and
        /// sign-up, or a broken token) would otherwise exhaust the session's address within a few requests.
        /// </summary>
        public bool Anonymous { get; init; }

        public HttpRequestMessage Build(string token, IReadOnlyDictionary<string, long> ids)
        {
            var message = new HttpRequestMessage(Method, WithIds(Path, ids));
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (Body is not null)
            {
                message.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body));
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
                // Announced, so a refused oversize body is answered before it is sent (see ApiSession.SendRawAsync).
                message.Headers.ExpectContinue = Body.Length > 64 * 1024;
            }

            if (Anonymous || (Headers ?? []).Any(header => header.Name == "Authorization"))
            {
                message.Headers.Add("X-Forwarded-For", ApiSession.UniqueClientAddress());
            }

            foreach (var (name, value) in Headers ?? [])
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }

            return message;
        }

        public override string ToString() =>
            $"{Method} {(Path.Length > 120 ? Path[..120] + "…" : Path)} body {(Body is null ? "none" : Body.Length > 60 ? Body[..60] + "…" : Body)} {ContentType} {string.Join(";", (Headers ?? []).Select(header => header.Name))}";
    }
}
