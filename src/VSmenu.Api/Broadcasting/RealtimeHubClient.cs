using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using VSmenu.Broadcasting;

namespace VSmenu.Api.Broadcasting;

/// <summary>The realtime hub's HTTP API, found through service discovery (<c>http://realtime</c>) and signed with the app's secret.</summary>
public sealed class RealtimeHubClient(HttpClient http, IOptions<PusherAppOptions> options, TimeProvider clock)
{
    public const string ServiceAddress = "http://realtime";

    /// <summary>The ids of the users on a presence channel, on every hub replica.</summary>
    public async Task<IReadOnlyList<string>> PresenceUsersAsync(string channel, CancellationToken cancellationToken)
    {
        var app = options.Value;
        var path = $"/apps/{app.AppId}/channels/{channel}/users";
        var query = PusherRequestSignature.SignedQuery(app, "GET", path, new Dictionary<string, string>(), [], clock.GetUtcNow());
        using var response = await http.GetAsync($"{path}?{query}", cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await JsonNode.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        return body?["users"]?.AsArray().Select(user => user!["id"]!.GetValue<string>()).ToList() ?? [];
    }
}
