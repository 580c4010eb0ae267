using Microsoft.Extensions.Options;
using VSmenu.Worker.ExternalServices;

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
        if (!options.Value.IsConfigured)
        {
            return SmsOutcome.Skipped;
        }

        await IdempotentCall.SendAsync(http, HttpMethod.Post, options.Value.Gateway!, new { To = to, Message = message }, idempotencyKey, cancellationToken);
        return SmsOutcome.Sent;
    }
}
