using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Auth;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Users;

namespace VSmenu.Api.Users;

public static class UserEndpoints
{
    private static readonly Listing<User> Listing = new Listing<User>(user => user.Id)
        .Sort("name", user => user.Name)
        .Sort("email", user => user.Email)
        .Sort("created_at", user => user.CreatedAt)
        .FilterEnum<Role>("role", role => user => user.Role == role)
        .FilterContains("search", pattern => user => EF.Functions.ILike(user.Name, pattern) || EF.Functions.ILike(user.Email, pattern));

    public static RouteGroupBuilder MapUserEndpoints(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("/users").WithTags("Users").RequireAuthorization(StaffPolicies.ManageStaff);

        users.MapList(Listing, (user, _) => UserResource.From(user));
        users.MapShow<User, UserResource>(query => query, UserResource.From);
        users.MapPost("/", CreateAsync).Produces<DataResponse<UserResource>>(StatusCodes.Status201Created);
        users.MapMethods("/{id:long}", [HttpMethods.Put, HttpMethods.Patch], UpdateAsync).Accepts<UserRequest>("application/json").Produces<DataResponse<UserResource>>();
        users.MapDelete("/{id:long}", DeleteAsync);
        return api;
    }

    private static async Task<IResult> CreateAsync(
        UserRequest body, ClaimsPrincipal caller, VsmenuDbContext db, PasswordHashing passwords, CancellationToken cancellationToken)
    {
        var role = WireEnum<Role>.Parse(body.Role!);
        if (!StaffPolicies.MayManage(caller.GetRole(), role))
        {
            return ApiResults.Forbidden();
        }

        var email = body.Email!.ToLowerInvariant();
        if (await EmailTakenAsync(db, email, exceptUserId: null, cancellationToken))
        {
            return ApiResults.Invalid("email", ApiText.Unique.Format("email"));
        }

        var user = new User { Name = body.Name!, Email = email, PasswordHash = "", Role = role };
        user.PasswordHash = await passwords.HashAsync(user, body.Password!, cancellationToken);
        db.Users.Add(user);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/users/{user.Id}", DataResponse.Of(UserResource.From(user)));
    }

    private static async Task<IResult> UpdateAsync(
        long id, Partial<UserRequest> body, ClaimsPrincipal caller, VsmenuDbContext db, PasswordHashing passwords, TokenRevocations revocations,
        CancellationToken cancellationToken)
    {
        if (await db.FindByIdAsync<User>(id, cancellationToken) is not { } user)
        {
            return ApiResults.NotFound();
        }

        var request = body.Value;
        var newRole = body.Has(r => r.Role) ? WireEnum<Role>.Parse(request.Role!) : user.Role;
        var actor = caller.GetRole();
        if (!StaffPolicies.MayManage(actor, user.Role) || !StaffPolicies.MayManage(actor, newRole)
            || (user.Id == caller.GetUserId() && newRole != user.Role))
        {
            return ApiResults.Forbidden();
        }

        if (body.Has(r => r.Email))
        {
            var email = request.Email!.ToLowerInvariant();
            if (await EmailTakenAsync(db, email, exceptUserId: user.Id, cancellationToken))
            {
                return ApiResults.Invalid("email", ApiText.Unique.Format("email"));
            }

            user.Email = email;
        }

        if (body.Has(r => r.Name))
        {
            user.Name = request.Name!;
        }

        if (body.Has(r => r.Password))
        {
            user.PasswordHash = await passwords.HashAsync(user, request.Password!, cancellationToken);
        }

        if (body.Has(r => r.Password) || newRole != user.Role)
        {
            // Whoever held the old password or acted in the old role signs in again; the caller changing their own
            // password keeps the token they did it with. Removed in the same save: the change and the revocation are one.
            var callerToken = caller.GetTokenId();
            db.PersonalAccessTokens.RemoveRange(
                await db.PersonalAccessTokens.Where(token => token.UserId == user.Id && token.Id != callerToken).ToListAsync(cancellationToken));
        }

        // A token carries its user's name and role, so a replica that cached it must look it up again.
        var tokensChange = body.Has(r => r.Password) || body.Has(r => r.Name) || newRole != user.Role;
        user.Role = newRole;
        await db.SaveChangesAsync(cancellationToken);
        if (tokensChange)
        {
            await revocations.EvictEverywhereAsync(TokenEviction.User(user.Id), cancellationToken);
        }

        return TypedResults.Ok(DataResponse.Of(UserResource.From(user)));
    }

    private static async Task<IResult> DeleteAsync(long id, ClaimsPrincipal caller, VsmenuDbContext db, TokenRevocations revocations, CancellationToken cancellationToken)
    {
        if (await db.FindByIdAsync<User>(id, cancellationToken) is not { } user)
        {
            return ApiResults.NotFound();
        }

        if (user.Id == caller.GetUserId())
        {
            return ApiResults.Conflict(ApiText.CannotDeleteSelf.Format());
        }

        if (!StaffPolicies.MayManage(caller.GetRole(), user.Role))
        {
            return ApiResults.Forbidden();
        }

        db.Users.Remove(user);
        await db.SaveChangesAsync(cancellationToken);
        await revocations.EvictEverywhereAsync(TokenEviction.User(user.Id), cancellationToken);
        return TypedResults.NoContent();
    }

    /// <summary>E-mails are unique across every tenant, since sign-in is by e-mail alone.</summary>
    internal static Task<bool> EmailTakenAsync(VsmenuDbContext db, string email, long? exceptUserId, CancellationToken cancellationToken) =>
        db.Users.IgnoreQueryFilters().AnyAsync(user => user.Email == email && user.Id != exceptUserId, cancellationToken);
}
