using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace VSmenu.IntegrationTests.Api.Edge;

/// <summary>
/// Every operation the OpenAPI document lists, hit with generated malformed requests: broken and wrong-typed JSON,
/// huge numbers and bodies, bad ids, query strings and headers, and boundary values by each field's schema type (the
/// ends of int32 and int64, 0 and negatives, the first and last day of the calendar, amounts at and past the money
/// column, strings at and past the usual limits, duplicate and case-variant keys). Each must get a 4xx with a message,
/// never a 5xx.
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
        "created_to=9999-12-31", "created_from=0001-01-01", "created_from=0001-01-01T00:00:00%2B05:00", "created_to=9999-12-31T23:59:59.9999999-03:00",
        "page=1000000&per_page=100", "page=2147483647", "per_page=2147483647", "page=30000000&perPage=100",
        "customer_id=9223372036854775807", "customer_id=-9223372036854775808", "table_id=0",
    ];

    private static readonly string[] Integers = ["9223372036854775807", "-9223372036854775808", "2147483647", "-2147483648", "2147483648", "0", "-1"];

    /// <summary>Amounts at the money column's end (numeric(12,2)), past it, past a product price's (numeric(10,2)), and below zero.</summary>
    private static readonly string[] Amounts = ["9999999999.99", "10000000000", "99999999.99", "100000000", "99999999.995", "79228162514264337593543950335", "-0.01"];

    private static readonly string[] Instants = ["\"0001-01-01T00:00:00Z\"", "\"9999-12-31T23:59:59.9999999Z\"", "\"9999-12-31T23:59:59-03:00\"", "\"0001-01-01T00:00:00+05:00\""];

    private static readonly string[] Dates = ["\"0001-01-01\"", "\"9999-12-31\""];

    /// <summary>Strings just past the lengths the API's columns use (120, 255, 500), and far past any.</summary>
    private static readonly string[] LongStrings = [.. new[] { 121, 256, 501, 20_000 }.Select(length => $"\"{new string('x', length)}\"")];

    [Fact]
    public async Task Hundreds_of_malformed_requests_across_every_endpoint_get_a_4xx_with_a_message_and_never_a_5xx()
    {
        using var reader = ApiSession.CreateDeviceClient(topology);
        var document = JsonNode.Parse(await reader.GetStringAsync("/openapi/v1.json", Cancellation))!;
        var requests = Generate(document).ToList();
        Assert.InRange(requests.Count, 300, 6_000);

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

        foreach (var body in BoundaryBodies(Resolve(operation["requestBody"]!["content"]?["application/json"]?["schema"], schemas), schemas))
        {
            yield return new BadRequest(verb, path, body);
        }

        var first = fields[0];
        yield return new BadRequest(verb, path, $"{{\"{first}\":1,\"{first}\":2}}");
        yield return new BadRequest(verb, path, $"{{\"{first}\":1,\"{first.ToUpperInvariant()}\":2}}");
        yield return new BadRequest(verb, path, $"{{\"{first}\":1,\"{Escaped(first)}\":2}}");

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

    private static IEnumerable<string> RequestFields(JsonNode operation, JsonNode schemas) =>
        Resolve(operation["requestBody"]!["content"]?["application/json"]?["schema"], schemas)?["properties"]?.AsObject().Select(property => property.Key) ?? ["name"];

    private static JsonNode? Resolve(JsonNode? schema, JsonNode schemas) =>
        schema?["$ref"]?.GetValue<string>() is { } reference ? schemas[reference.Split('/')[^1]] : schema;

    /// <summary>
    /// A body per boundary value of each field, by the field's schema type; a field holding an array of objects gets one
    /// element carrying each boundary value of the element's fields (an order's items' quantities and prices).
    /// </summary>
    private static IEnumerable<string> BoundaryBodies(JsonNode? schema, JsonNode schemas)
    {
        foreach (var (name, property) in schema?["properties"]?.AsObject() ?? [])
        {
            if (TypeOf(property) == "array" && Resolve(property!["items"], schemas) is { } element && element["properties"] is not null)
            {
                foreach (var inner in BoundaryBodies(element, schemas))
                {
                    yield return $"{{\"{name}\":[{inner}]}}";
                }

                continue;
            }

            foreach (var value in BoundaryValues(property))
            {
                yield return $"{{\"{name}\":{value}}}";
            }
        }
    }

    private static string[] BoundaryValues(JsonNode? property) => (TypeOf(property), property?["format"]?.GetValue<string>()) switch
    {
        ("integer", _) => Integers,
        ("number", _) => Amounts,
        ("string", "date-time") => Instants,
        ("string", "date") => Dates,
        ("string", null) => LongStrings,
        _ => [],
    };

    /// <summary>The schema's type leaving out <c>null</c> (nullable types are <c>["integer", "null"]</c>); numbers may also be written as strings.</summary>
    private static string? TypeOf(JsonNode? property) => property?["type"] switch
    {
        JsonArray types => types.Select(type => type!.GetValue<string>()).FirstOrDefault(type => type != "null" && type != "string")
                           ?? types.Select(type => type!.GetValue<string>()).FirstOrDefault(type => type != "null"),
        JsonValue type => type.GetValue<string>(),
        _ => null,
    };

    /// <summary>The name with its first letter as a JSON escape: the same name once the body is read.</summary>
    private static string Escaped(string name) => $"\\u{(int)name[0]:x4}{name[1..]}";

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
