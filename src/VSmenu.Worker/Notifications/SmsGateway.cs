using Microsoft.Extensions.Options;

namespace VSmenu.Worker.Notifications;

public enum SmsOutcome
{
    Sent,
    Skipped,
}

/// <summary>Sends SMS through the configured HTTP gateway, with the job's id as idempotency key.</summary>
public sealed class SmsGateway(HttpClient http, IOptions<SmsOptions> options)
{
    public async Task<SmsOutcome> SendAsync(string to, string message, string idempotencyKey, CancellationToken cancellationToken)
    {
        if (options.Value.Gateway is not { } gateway)
        {
            return SmsOutcome.Skipped;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, gateway) { Content = JsonContent.Create(new { to, message }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return SmsOutcome.Sent;
    }
}
