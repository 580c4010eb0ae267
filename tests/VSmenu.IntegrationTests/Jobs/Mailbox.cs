using System.Text.Json.Nodes;

namespace VSmenu.IntegrationTests.Jobs;

/// <summary>The AppHost's SMTP sink (smtp4dev), read through its web API as a developer reads its UI.</summary>
internal sealed class Mailbox(TopologyFixture topology)
{
    public sealed record Message(string To, string Subject);

    public async Task<IReadOnlyList<Message>> ListAsync()
    {
        using var http = topology.CreateHttpClient("smtp4dev");
        var page = JsonNode.Parse(await http.GetStringAsync("/api/messages?pageSize=1000", TestContext.Current.CancellationToken))!;
        return page["results"]!.AsArray()
            .SelectMany(message => message!["to"]!.AsArray().Select(to => new Message(to!.GetValue<string>(), message["subject"]!.GetValue<string>())))
            .ToList();
    }

    /// <summary>Waits until every one of <paramref name="expected"/> (recipient and subject) has arrived; returns the mailbox then.</summary>
    public Task<IReadOnlyList<Message>> WaitForAsync(params Message[] expected) =>
        Eventually.ReturnsAsync(ListAsync, messages => expected.All(messages.Contains), $"mail {string.Join(", ", expected)}");
}
