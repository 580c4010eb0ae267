using System.Collections.Concurrent;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Options;
using MimeKit;

namespace VSmenu.Worker.Mail;

/// <summary>
/// Open SMTP sessions kept for the next message, one message at a time on each: a session costs the server a connection,
/// a banner and an EHLO (smtp4dev spent 11–13 ms of CPU on each mail sent on a session of its own, 4 ms on a reused one,
/// and a dinner rush sends two mails per order). A session idle past <see cref="IdleLimit"/> is closed rather than used:
/// servers drop idle clients after a few minutes (RFC 5321 asks them to wait at least five), and one dropped while
/// idle, or by a restarted server, fails its next message before it is accepted, so that message goes once more on a
/// new session.
/// </summary>
public sealed class SmtpSessions(IOptions<MailOptions> options, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan IdleLimit = TimeSpan.FromSeconds(30);

    private readonly MailOptions _options = options.Value;

    /// <summary><c>smtps://</c> is TLS from the start; on <c>smtp://</c> an account's password travels only after STARTTLS.</summary>
    private SecureSocketOptions Security =>
        _options.Smtp.Scheme == "smtps" ? SecureSocketOptions.SslOnConnect
        : _options.User is { Length: > 0 } ? SecureSocketOptions.StartTls
        : SecureSocketOptions.None;
    private readonly ConcurrentStack<(SmtpClient Client, long IdleSince)> _idle = new();

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        var reused = TakeIdle();
        if (reused is not null)
        {
            try
            {
                await reused.SendAsync(message, cancellationToken);
                GiveBack(reused);
                return;
            }
            catch (Exception exception) when (exception is ServiceNotConnectedException or IOException or SmtpProtocolException && !cancellationToken.IsCancellationRequested)
            {
                reused.Dispose();
            }
            catch
            {
                reused.Dispose();
                throw;
            }
        }

        var client = new SmtpClient();
        try
        {
            await client.ConnectAsync(_options.Smtp.Host, _options.Smtp.Port, Security, cancellationToken);
            if (_options.User is { Length: > 0 } user)
            {
                await client.AuthenticateAsync(user, _options.Password ?? "", cancellationToken);
            }

            await client.SendAsync(message, cancellationToken);
        }
        catch
        {
            client.Dispose();
            throw;
        }

        GiveBack(client);
    }

    public void Dispose()
    {
        while (_idle.TryPop(out var session))
        {
            session.Client.Dispose();
        }
    }

    private SmtpClient? TakeIdle()
    {
        while (_idle.TryPop(out var session))
        {
            if (session.Client.IsConnected && time.GetElapsedTime(session.IdleSince) < IdleLimit)
            {
                return session.Client;
            }

            session.Client.Dispose();
        }

        return null;
    }

    private void GiveBack(SmtpClient client)
    {
        if (client.IsConnected)
        {
            _idle.Push((client, time.GetTimestamp()));
        }
        else
        {
            client.Dispose();
        }
    }
}
