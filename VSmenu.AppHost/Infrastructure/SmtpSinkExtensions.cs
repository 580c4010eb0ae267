namespace VSmenu.AppHost.Infrastructure;

/// <summary>Where services send mail in development, and where a developer reads it.</summary>
public sealed record SmtpSink(IResourceBuilder<IResourceWithEndpoints> Resource, EndpointReference Smtp);

public static class SmtpSinkExtensions
{
    public const string Name = "smtp4dev";
    private const string Version = "3.15.0";

    /// <summary>
    /// smtp4dev keeps only the last 100 messages by default, and a dinner rush sends thousands; but it slows down as its
    /// mailbox grows (trimming sorts the whole mailbox on every message: 150 mails/s up to 6,000 kept, 30/s past 16,000),
    /// so it keeps the last 5,000. A longer run reads and deletes its mails as they come (<c>MailTally</c> in the tests).
    /// </summary>
    private const string KeepRecentMessages = "--messagestokeep=5000";

    /// <summary>
    /// Adds smtp4dev, an SMTP server that keeps every message and shows them in a web UI (and its <c>/api/messages</c>):
    /// the <c>Rnwood.Smtp4dev</c> dotnet tool as a local process, or its container, following the infrastructure mode.
    /// Messages live in memory: a restart empties the mailbox.
    /// </summary>
    public static SmtpSink AddSmtpSink(this IDistributedApplicationBuilder builder, InfrastructureMode mode)
    {
        if (mode == InfrastructureMode.Containers)
        {
            var container = builder.AddContainer(Name, "rnwood/smtp4dev", Version)
                .WithHttpEndpoint(targetPort: 80, name: "http")
                .WithEndpoint(targetPort: 25, name: "smtp", scheme: "smtp")
                .WithArgs("--db=", "--imapport=", "--pop3port=", KeepRecentMessages)
                .WithHttpHealthCheck("/");
            return new(container, container.GetEndpoint("smtp"));
        }

#pragma warning disable ASPIREDOTNETTOOL // Experimental in Aspire 13: the tool runs through `dotnet tool exec`, no install step.
        var tool = builder.AddDotnetTool(Name, "Rnwood.Smtp4dev").WithToolVersion(Version);
#pragma warning restore ASPIREDOTNETTOOL
        tool.WithHttpEndpoint(name: "http")
            .WithEndpoint(name: "smtp", scheme: "smtp", isProxied: false)
            .WithArgs(
            [
                ReferenceExpression.Create($"--urls=http://127.0.0.1:{tool.GetEndpoint("http").Property(EndpointProperty.TargetPort)}"),
                ReferenceExpression.Create($"--smtpport={tool.GetEndpoint("smtp").Property(EndpointProperty.TargetPort)}"),
                "--bindaddress=127.0.0.1", "--db=", "--imapport=", "--pop3port=", "--nousersettings", KeepRecentMessages,
            ])
            .WithHttpHealthCheck("/")
            .ExcludeFromManifest();
        return new(tool, tool.GetEndpoint("smtp"));
    }
}
