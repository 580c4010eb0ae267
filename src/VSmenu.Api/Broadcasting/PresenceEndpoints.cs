using System.Globalization;
using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Outbox;
using VSmenu.Data.Users;

namespace VSmenu.Api.Broadcasting;

/// <summary>A member of staff connected to the realtime hub now.</summary>
public sealed record OnlineStaffResource(long Id, string Name, Role Role);

public static class PresenceEndpoints
{
    /// <summary>Maps <c>GET /api/v1/presence/online</c>: which staff of my restaurant are connected now, asked of the hub.</summary>
    public static RouteGroupBuilder MapPresenceEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/presence/online", OnlineAsync).WithTags("Broadcasting").Produces<DataResponse<IReadOnlyList<OnlineStaffResource>>>();
        return api;
    }

    private static async Task<IResult> OnlineAsync(ClaimsPrincipal caller, RealtimeHubClient hub, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var ids = (await hub.PresenceUsersAsync(BroadcastChannels.Restaurant(caller.GetTenantId()), cancellationToken))
            .Select(id => long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var userId) ? userId : 0)
            .ToList();
        // The tenant filter keeps anyone the hub lists who is not (or no longer) of this restaurant out of the answer.
        var online = await db.Users.AsNoTracking()
            .Where(user => ids.Contains(user.Id))
            .OrderBy(user => user.Name)
            .Select(user => new OnlineStaffResource(user.Id, user.Name, user.Role))
            .ToListAsync(cancellationToken);
        return Results.Ok(new DataResponse<IReadOnlyList<OnlineStaffResource>>(online));
    }
}
