using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using VSmenu.Api.Auth;
using VSmenu.Api.Edge.RateLimiting;
using VSmenu.Api.Infrastructure;
using VSmenu.Broadcasting;
using VSmenu.Data;

namespace VSmenu.Api.Broadcasting;

/// <summary>The answer pusher-js expects from a user authenticator: the signature and who the user is.</summary>
public sealed record UserAuthentication(string Auth, string UserData);

/// <summary>The answer pusher-js expects from a channel authorizer: the signature, and on presence channels who the member is.</summary>
public sealed record ChannelAuthorization(
    string Auth,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? ChannelData);

public static class BroadcastingAuthEndpoints
{
    private const string Path = "/broadcasting/auth";
    private const string UserPath = "/broadcasting/user-auth";

    /// <summary>
    /// Maps the channel authorizer at <c>/api/v1/broadcasting/auth</c> and at Laravel Echo's default
    /// <c>/broadcasting/auth</c>: form-encoded (pusher-js) or JSON (the spec's axios authorizer), bearer token required.
    /// </summary>
    public static RouteGroupBuilder MapBroadcastingAuthEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost(Path, AuthorizeAsync).WithTags("Broadcasting").Produces<ChannelAuthorization>();
        api.MapPost(UserPath, AuthenticateUserAsync).WithTags("Broadcasting").Produces<UserAuthentication>();
        return api;
    }

    public static IEndpointRouteBuilder MapLaravelBroadcastingAuth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(Path, AuthorizeAsync).RequireAuthorization().RateLimited(RateLimitPolicy.Api).ExcludeFromDescription();
        endpoints.MapPost(UserPath, AuthenticateUserAsync).RequireAuthorization().RateLimited(RateLimitPolicy.Api).ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> AuthorizeAsync(HttpRequest request, ClaimsPrincipal caller, IOptions<PusherAppOptions> pusher, CancellationToken cancellationToken)
    {
        var (socketId, channel) = await ReadAsync(request, cancellationToken);
        var errors = new ValidationErrors();
        Check(errors, "socket_id", socketId, PusherSocketId.IsValid(socketId));
        Check(errors, "channel_name", channel, channel is not null && ChannelName.IsValid(channel));
        if (errors.Any)
        {
            return ApiResults.Invalid(errors);
        }

        if (!ChannelAccess.MayJoin(channel!, caller.GetTenantId(), caller.GetRole()))
        {
            return ApiResults.Forbidden();
        }

        var channelData = ChannelName.KindOf(channel!) == ChannelKind.Presence ? MemberOf(caller) : null;
        return Results.Ok(new ChannelAuthorization(PusherSignature.ChannelAuth(pusher.Value, socketId!, channel!, channelData), channelData));
    }

    /// <summary>User authentication (<c>pusher.signin()</c>): binds the socket to the caller, for send-to-user and terminate.</summary>
    private static async Task<IResult> AuthenticateUserAsync(HttpRequest request, ClaimsPrincipal caller, IOptions<PusherAppOptions> pusher, CancellationToken cancellationToken)
    {
        var (socketId, _) = await ReadAsync(request, cancellationToken);
        var errors = new ValidationErrors();
        Check(errors, "socket_id", socketId, PusherSocketId.IsValid(socketId));
        if (errors.Any)
        {
            return ApiResults.Invalid(errors);
        }

        var userData = JsonSerializer.Serialize(new { id = UserIdOf(caller), user_info = InfoOf(caller) });
        return Results.Ok(new UserAuthentication(PusherSignature.UserAuth(pusher.Value, socketId!, userData), userData));
    }

    private static void Check(ValidationErrors errors, string field, string? value, bool valid)
    {
        if (string.IsNullOrEmpty(value))
        {
            errors.Add(field, ApiText.Required.Format(field));
        }
        else if (!valid)
        {
            errors.Add(field, ApiText.InvalidFormat.Format(field));
        }
    }

    /// <summary>The presence member the hub announces to the others: the user's id and what staff see of them.</summary>
    private static string MemberOf(ClaimsPrincipal caller) => JsonSerializer.Serialize(new { user_id = UserIdOf(caller), user_info = InfoOf(caller) });

    private static string UserIdOf(ClaimsPrincipal caller) => caller.GetUserId().ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static object InfoOf(ClaimsPrincipal caller) =>
        new { name = caller.FindFirstValue(ClaimTypes.Name), role = WireEnum<VSmenu.Data.Users.Role>.Name(caller.GetRole()) };

    private static async Task<(string? SocketId, string? Channel)> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync(cancellationToken);
            return (form["socket_id"].ToString(), form["channel_name"].ToString());
        }

        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a form or JSON body.", StatusCodes.Status415UnsupportedMediaType);
        }

        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return body.RootElement.ValueKind == JsonValueKind.Object
                ? (Text(body.RootElement, "socket_id"), Text(body.RootElement, "channel_name"))
                : (null, null);
        }
        catch (JsonException json)
        {
            throw new BadHttpRequestException(json.Message, StatusCodes.Status400BadRequest, json);
        }
    }

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
