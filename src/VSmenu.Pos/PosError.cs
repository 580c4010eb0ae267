using System.Text.Json.Nodes;

namespace VSmenu.Pos;

/// <summary>
/// A call the terminal refuses, with the API's error body (<c>{message, errors}</c>) and the HTTP status it would have
/// had: the api's own answer when it refused, the same shape when the terminal refuses locally.
/// </summary>
public sealed class PosError(int status, JsonObject body) : Exception(body["message"]?.GetValue<string>())
{
    public int Status { get; } = status;

    public JsonObject Body { get; } = body;

    public static PosError Of(int status, string message, IReadOnlyDictionary<string, string>? errors = null)
    {
        var body = new JsonObject { ["message"] = message };
        if (errors is { Count: > 0 })
        {
            body["errors"] = new JsonObject(errors.Select(error => KeyValuePair.Create(error.Key, (JsonNode?)new JsonArray(error.Value))));
        }

        return new PosError(status, body);
    }

    public static PosError NotFound(string what) => Of(404, $"{what} was not found on this terminal.");

    public static PosError Invalid(IReadOnlyDictionary<string, string> errors) =>
        Of(422, errors.Count == 1 ? errors.First().Value : $"{errors.First().Value} (and {errors.Count - 1} more errors)", errors);

    public static PosError SignedOut() => Of(401, "Nobody is signed in at this terminal: call auth:login first.");
}
