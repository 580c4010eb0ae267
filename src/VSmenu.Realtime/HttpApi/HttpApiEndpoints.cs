using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;
using VSmenu.Realtime.Pusher;

namespace VSmenu.Realtime.HttpApi;

/// <summary>
/// Pusher's HTTP API for other backends: trigger events on up to 100 channels (or batches of 10, or a signed-in user's
/// channel), ask which channels are occupied, how many subscriptions and users they have and who is on a presence
/// channel, counted over every replica, and close a signed-in user's connections on every replica. Errors are <c>{"error"}</c> with Pusher's statuses (400, 401, 404, 413).
/// </summary>
public static class HttpApiEndpoints
{
    private const int MaxChannelsPerEvent = 100;
    private const int MaxBatchSize = 10;

    /// <summary>The HTTP API's root: every request under it is signed with the app's secret (<see cref="SignedRequests"/>).</summary>
    public const string Root = "/apps";

    /// <summary>Refuses requests to the HTTP API that are not signed with the app's secret, before they reach an endpoint.</summary>
    public static WebApplication UsePusherRequestSignatures(this WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(Root), signed => signed.UseMiddleware<SignedRequests>());
        return app;
    }

    public static WebApplication MapPusherHttpApi(this WebApplication app)
    {
        var api = app.MapGroup(Root + "/{appId}");
        api.MapPost("/events", TriggerAsync);
        api.MapPost("/batch_events", TriggerBatchAsync);
        api.MapGet("/channels", ListChannelsAsync);
        api.MapGet("/channels/{channel}", ShowChannelAsync);
        api.MapGet("/channels/{channel}/users", ListUsersAsync);
        api.MapPost("/users/{userId}/terminate_connections", async (string userId, RedisBackplane backplane) =>
        {
            await backplane.TerminateUserEverywhereAsync(userId);
            return Results.Json(new { });
        });
        return app;
    }

    private static async Task<IResult> TriggerAsync(HttpRequest request, RedisBackplane backplane, IOptions<HubOptions> options)
    {
        if (await ReadAsync(request) is not JsonObject body)
        {
            return Error(StatusCodes.Status400BadRequest, "The body must be a JSON object");
        }

        var channels = body["channels"] is JsonArray many ? many.Select(JsonText.Of).ToList() : [JsonText.Of(body["channel"])];
        var events = channels.Select(channel => EventOf(body, channel)).ToList();
        if (channels.Count > MaxChannelsPerEvent)
        {
            return Error(StatusCodes.Status400BadRequest, $"An event goes to at most {MaxChannelsPerEvent} channels");
        }

        return await TriggerAllAsync(events, backplane, options.Value);
    }

    private static async Task<IResult> TriggerBatchAsync(HttpRequest request, RedisBackplane backplane, IOptions<HubOptions> options)
    {
        if ((await ReadAsync(request))?["batch"] is not JsonArray batch)
        {
            return Error(StatusCodes.Status400BadRequest, "The body must be {\"batch\": [...]}");
        }

        if (batch.Count > MaxBatchSize)
        {
            return Error(StatusCodes.Status400BadRequest, $"A batch holds at most {MaxBatchSize} events");
        }

        return await TriggerAllAsync(batch.Select(item => EventOf(item as JsonObject, JsonText.Of(item?["channel"]))).ToList(), backplane, options.Value);
    }

    /// <summary>Validates every event before publishing any, so a bad batch publishes nothing.</summary>
    private static async Task<IResult> TriggerAllAsync(IReadOnlyList<TriggeredEvent> events, RedisBackplane backplane, HubOptions limits)
    {
        foreach (var triggered in events)
        {
            if (triggered.Name is not { Length: > 0 } name || name.Length > limits.MaxEventNameLength)
            {
                return Error(StatusCodes.Status400BadRequest, $"name must be 1 to {limits.MaxEventNameLength} characters");
            }

            if (triggered.Channel is null || !ChannelName.IsTriggerable(triggered.Channel))
            {
                return Error(StatusCodes.Status400BadRequest, $"Invalid channel name: {triggered.Channel}");
            }

            if (triggered.Data is null)
            {
                return Error(StatusCodes.Status400BadRequest, "data must be a string");
            }

            if (Encoding.UTF8.GetByteCount(triggered.Data) > limits.MaxPayloadBytes)
            {
                return Error(StatusCodes.Status413PayloadTooLarge, $"data is at most {limits.MaxPayloadBytes} bytes");
            }

            if (triggered.SocketId is not null && !PusherSocketId.IsValid(triggered.SocketId))
            {
                return Error(StatusCodes.Status400BadRequest, "Invalid socket_id");
            }
        }

        foreach (var triggered in events)
        {
            await backplane.PublishAsync(triggered.Channel!, triggered.Name!, JsonValue.Create(triggered.Data), triggered.SocketId);
        }

        return Results.Json(new { });
    }

    private static async Task<IResult> ListChannelsAsync(HttpRequest request, ChannelDirectory directory)
    {
        var prefix = request.Query["filter_by_prefix"].ToString();
        var userCount = Requested(request, "user_count");
        if (userCount && !prefix.StartsWith("presence-", StringComparison.Ordinal))
        {
            return Error(StatusCodes.Status400BadRequest, "info=user_count needs filter_by_prefix=presence-");
        }

        var channels = new JsonObject();
        foreach (var channel in (await directory.SubscriptionCountsAsync()).Keys.Where(channel => channel.StartsWith(prefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            channels[channel] = userCount ? new JsonObject { ["user_count"] = (await directory.MembersAsync(channel)).Count } : new JsonObject();
        }

        return Results.Json(new JsonObject { ["channels"] = channels });
    }

    private static async Task<IResult> ShowChannelAsync(string channel, HttpRequest request, ChannelDirectory directory)
    {
        var presence = ChannelName.KindOf(channel) == ChannelKind.Presence;
        if (Requested(request, "user_count") && !presence)
        {
            return Error(StatusCodes.Status400BadRequest, "user_count is only available on presence channels");
        }

        var subscriptions = (await directory.SubscriptionCountsAsync()).GetValueOrDefault(channel);
        var answer = new JsonObject { ["occupied"] = subscriptions > 0 };
        if (Requested(request, "subscription_count"))
        {
            answer["subscription_count"] = subscriptions;
        }

        if (Requested(request, "user_count"))
        {
            answer["user_count"] = (await directory.MembersAsync(channel)).Count;
        }

        return Results.Json(answer);
    }

    private static async Task<IResult> ListUsersAsync(string channel, ChannelDirectory directory) =>
        ChannelName.KindOf(channel) != ChannelKind.Presence
            ? Error(StatusCodes.Status400BadRequest, "Users are only listed for presence channels")
            : Results.Json(new { users = (await directory.MembersAsync(channel)).Select(member => new { id = member.UserId }) });

    private sealed record TriggeredEvent(string? Name, string? Channel, string? Data, string? SocketId);

    private static TriggeredEvent EventOf(JsonObject? body, string? channel) =>
        new(JsonText.Of(body?["name"]), channel, JsonText.Of(body?["data"]), JsonText.Of(body?["socket_id"]));

    private static bool Requested(HttpRequest request, string attribute) =>
        request.Query["info"].ToString().Split(',').Contains(attribute, StringComparer.Ordinal);

    private static async Task<JsonNode?> ReadAsync(HttpRequest request)
    {
        try
        {
            return await JsonNode.ParseAsync(request.Body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IResult Error(int status, string error) => Results.Json(new { error }, statusCode: status);
}
