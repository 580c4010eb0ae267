namespace VSmenu.Worker.Mail;

/// <summary>Outgoing mail (section <c>Mail</c>): the SMTP server (the AppHost's smtp4dev in development), sender and admin.</summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    /// <summary><c>smtp://host:port</c>.</summary>
    public Uri Smtp { get; set; } = new("smtp://localhost:25");

    /// <summary>The SMTP account, when the server asks for one; a password is never sent without TLS (STARTTLS on <c>smtp://</c>).</summary>
    public string? User { get; set; }

    public string? Password { get; set; }

    public string From { get; set; } = "VSmenu <no-reply@vsmenu.io>";

    /// <summary>Who is told when a job fails for good (the spec's <c>config('mail.admin')</c>).</summary>
    public string Admin { get; set; } = "admin@vsmenu.io";
}
