using Microsoft.EntityFrameworkCore;
using VSmenu.Data;

namespace VSmenu.Api.Infrastructure;

/// <summary>The list, show and delete endpoints that every top-level resource has in the same form.</summary>
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

    /// <summary>Deletes by id; a record still referenced elsewhere is a 409 (see <see cref="ApiExceptionHandler"/>).</summary>
    public static RouteHandlerBuilder MapDestroy<T>(this RouteGroupBuilder group) where T : class, IIdentified =>
        group.MapDelete("/{id:long}", async Task<IResult> (long id, VsmenuDbContext db, CancellationToken cancellationToken) =>
        {
            if (await db.Set<T>().FirstOrDefaultAsync(entity => entity.Id == id, cancellationToken) is not { } entity)
            {
                return ApiResults.NotFound();
            }

            db.Remove(entity);
            await db.SaveChangesAsync(cancellationToken);
            return TypedResults.NoContent();
        }).Produces(StatusCodes.Status204NoContent);

    /// <summary>Loads a record of the current tenant for change, or <c>null</c> (answer 404).</summary>
    public static Task<T?> FindByIdAsync<T>(this VsmenuDbContext db, long id, CancellationToken cancellationToken) where T : class, IIdentified =>
        db.Set<T>().FirstOrDefaultAsync(entity => entity.Id == id, cancellationToken);
}
