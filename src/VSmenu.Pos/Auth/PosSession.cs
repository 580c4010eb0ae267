using System.Text.Json;
using System.Text.Json.Nodes;
using VSmenu.Pos.Live;
using VSmenu.Pos.Store;
using VSmenu.Pos.Sync;

namespace VSmenu.Pos.Auth;

/// <summary>
/// Who works at the till. Signing in needs the api (it checks the password and issues the token); the token is kept in the
/// terminal's private folder. Signing out revokes it online, but not while the user's own changes still wait to be pushed
/// unless forced: then the token is kept only to push them, and revoked once they are on the server.
/// </summary>
public sealed class PosSession(PosApi api, Credentials credentials, MutationQueue mutations, SyncEngine sync, LiveUpdates live)
{
    public async Task<JsonObject> LoginAsync(JsonElement given, CancellationToken cancellationToken)
    {
        if (given.ValueKind is not JsonValueKind.Object)
        {
            throw PosError.Of(400, "auth:login takes {\"email\", \"password\"}.");
        }

        JsonElement signedIn;
        try
        {
            signedIn = await api.LoginAsync(given, cancellationToken);
        }
        catch (Exception unreachable) when (PosApi.IsUnreachable(unreachable) && unreachable is not PosError)
        {
            throw PosError.Of(503, "Signing in needs the api, which cannot be reached now; whoever is signed in can keep working offline.");
        }

        var user = JsonNode.Parse(signedIn.GetProperty("user").GetRawText())!.AsObject();
        var credential = new Credential(
            user["id"]!.GetValue<long>(), user["tenant_id"]!.GetValue<long>(), signedIn.GetProperty("token").GetString()!, user, SignedIn: true);
        await credentials.SignInAsync(credential, cancellationToken);
        live.Reconnect();
        sync.Wake();
        return new JsonObject { ["token"] = credential.Token, ["user"] = user };
    }

    public async Task<JsonObject> LogoutAsync(JsonElement? given, CancellationToken cancellationToken)
    {
        var user = await RequireUserAsync(cancellationToken);
        var force = given is { ValueKind: JsonValueKind.Object } options && options.TryGetProperty("force", out var value) && value.ValueKind is JsonValueKind.True;
        var pending = await mutations.CountPendingAsync(user.UserId, cancellationToken);
        if (pending > 0 && !force)
        {
            throw PosError.Of(409, $"{pending} change(s) you made at this terminal are not on the server yet. Sync first, or sign out with {{\"force\": true}} to have them pushed later under your name.");
        }

        await credentials.SignOutAsync(user.UserId, cancellationToken);
        live.Reconnect();
        var revoked = false;
        if (pending == 0)
        {
            try
            {
                await api.RevokeAsync(user.Token, cancellationToken);
                await credentials.ForgetAsync(user.UserId, cancellationToken);
                revoked = true;
            }
            catch (Exception failure) when (PosApi.IsUnreachable(failure) || failure is PosError)
            {
                // Offline: the sync engine revokes the token when the api answers again.
            }
        }

        sync.Wake();
        return new JsonObject { ["signed_out"] = true, ["token_revoked"] = revoked, ["pending"] = pending };
    }

    public async Task<string?> TokenAsync(CancellationToken cancellationToken) => (await credentials.SignedInAsync(cancellationToken))?.Token;

    /// <summary>The user signed in at the till; a write without one is refused (a change must have its author).</summary>
    public async Task<Credential> RequireUserAsync(CancellationToken cancellationToken) =>
        await credentials.SignedInAsync(cancellationToken) ?? throw PosError.SignedOut();
}
