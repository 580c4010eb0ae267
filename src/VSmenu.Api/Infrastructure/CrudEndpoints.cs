using Microsoft.EntityFrameworkCore;
using VSmenu.Data;
using VSmenu.Data.Outbox;

namespace VSmenu.Api.Infrastructure;

/// <summary>The list, show, update and delete endpoints that every top-level resource has in the same form.</summary>
public static class CrudEndpoints
{
    public static RouteHandlerBuilder MapList<T, TResource>(
        this RouteGroupBuilder group, Listing<T> listing, Func<T, IReadOnlySet<string>, TResource> toResource)
        where T : class =>
        group.MapGet("/", (VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken) =>
            listing.ToPageAsync(db.Set<T>(), request, toResource, cancellationToken));

    /// <summary>Shows one record by id; <paramref name="shape"/> adds the relations a single resource always carries.</summary>
    public static RouteHandlerBuilder MapShow<T, TResource>(
        this RouteGroupBuilder group, Func<IQueryable<T>, IQueryable<T>> shape, Func<T, TResource> toResource)
        where T : class, IIdentified =>
        group.MapGet("/{id:long}", async Task<IResult> (long id, VsmenuDbContext db, CancellationToken cancellationToken) =>
                await shape(db.Set<T>()).AsNoTracking().FirstOrDefaultAsync(entity => entity.Id == id, cancellationToken) is { } entity
                    ? TypedResults.Ok(DataResponse.Of(toResource(entity)))
                    : ApiResults.NotFound())
            .Produces<DataResponse<TResource>>();

    /// <summary>
    /// Updates by id, PUT and PATCH alike (only the fields sent change): finds the record of the current tenant or answers
    /// 404, lets <paramref name="apply"/> change it or refuse with a 4xx, saves, and answers the resource.
    /// </summary>
    public static RouteHandlerBuilder MapUpdate<T, TRequest, TResource>(
        this RouteGroupBuilder group, Func<T, Update<TRequest>, Task<IResult?>> apply, Func<T, TResource> toResource)
        where T : class, IIdentified
        where TRequest : class, IValidatableRequest =>
        group.MapMethods("/{id:long}", [HttpMethods.Put, HttpMethods.Patch],
                async Task<IResult> (long id, Partial<TRequest> body, VsmenuDbContext db, HttpContext http, CancellationToken cancellationToken) =>
                {
                    if (await db.FindByIdAsync<T>(id, cancellationToken) is not { } entity)
                    {
                        return ApiResults.NotFound();
                    }

                    if (await apply(entity, new Update<TRequest>(body, db, http, cancellationToken)) is { } refusal)
                    {
                        return refusal;
                    }

                    await db.SaveChangesAsync(cancellationToken);
                    return TypedResults.Ok(DataResponse.Of(toResource(entity)));
                })
            .Accepts<TRequest>("application/json")
            .Produces<DataResponse<TResource>>();

    /// <summary>An update whose fields always apply: it changes the record and is never refused.</summary>
    public static RouteHandlerBuilder MapUpdate<T, TRequest, TResource>(
        this RouteGroupBuilder group, Action<T, Partial<TRequest>> apply, Func<T, TResource> toResource)
        where T : class, IIdentified
        where TRequest : class, IValidatableRequest =>
        group.MapUpdate<T, TRequest, TResource>(
            (entity, update) =>
            {
                apply(entity, update.Body);
                return Task.FromResult<IResult?>(null);
            },
            toResource);

    /// <summary>
    /// Deletes by id; a record still referenced elsewhere is a 409 (see <see cref="ApiExceptionHandler"/>).
    /// <paramref name="announce"/>, when given, is the event the removal broadcasts, in its transaction.
    /// </summary>
    public static RouteHandlerBuilder MapDestroy<T>(this RouteGroupBuilder group, Func<T, BroadcastEvent>? announce = null) where T : class, IIdentified =>
        group.MapDelete("/{id:long}", async Task<IResult> (long id, VsmenuDbContext db, HttpRequest request, CancellationToken cancellationToken) =>
        {
            if (await db.Set<T>().FirstOrDefaultAsync(entity => entity.Id == id, cancellationToken) is not { } entity)
            {
                return ApiResults.NotFound();
            }

            if (announce is not null)
            {
                db.BroadcastOnSave(() => announce(entity), SocketId.From(request));
            }

            db.Remove(entity);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.NoContent();
        }).Produces(StatusCodes.Status204NoContent);

    /// <summary>Loads a record of the current tenant for change, or <c>null</c> (answer 404).</summary>
    public static Task<T?> FindByIdAsync<T>(this VsmenuDbContext db, long id, CancellationToken cancellationToken) where T : class, IIdentified =>
        db.Set<T>().FirstOrDefaultAsync(entity => entity.Id == id, cancellationToken);
}

/// <summary>What an update's rules may look at: the fields sent, the tenant's data, and the request (its caller, its socket).</summary>
public sealed record Update<TRequest>(Partial<TRequest> Body, VsmenuDbContext Db, HttpContext Http, CancellationToken CancellationToken)
    where TRequest : class, IValidatableRequest
{
    public TRequest Value => Body.Value;

    /// <summary>The socket that made the change, which its broadcast skips.</summary>
    public string? Socket => SocketId.From(Http.Request);
}
