using Microsoft.Extensions.Options;
using MimeKit;

namespace VSmenu.Worker.Mail;

/// <summary>Sends mail over SMTP (MailKit), on the sessions <see cref="SmtpSessions"/> keeps open.</summary>
public sealed class Mailer(SmtpSessions sessions, IOptions<MailOptions> options)
{
    private readonly MailOptions _options = options.Value;

    public async Task SendAsync(string to, string subject, string text, string? messageId, CancellationToken cancellationToken)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(_options.From));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = text };
        if (messageId is not null)
        {
            // A retry sends the same Message-ID, so a mail system that saw the first copy can drop the second.
            message.MessageId = messageId;
        }

        await sessions.SendAsync(message, cancellationToken);
    }

    public Task SendToAdminAsync(string subject, string text, CancellationToken cancellationToken) =>
        SendAsync(_options.Admin, subject, text, messageId: null, cancellationToken);
}
