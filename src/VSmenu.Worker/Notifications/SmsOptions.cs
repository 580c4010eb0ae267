namespace VSmenu.Worker.Notifications;

/// <summary>The SMS gateway (section <c>Sms</c>): an HTTP endpoint taking <c>{to, message}</c>; none configured, SMS are recorded as skipped.</summary>
public sealed class SmsOptions
{
    public const string SectionName = "Sms";

    public Uri? Gateway { get; set; }

    /// <summary>An absolute address: a deployment's parameter left empty binds as an empty relative one.</summary>
    public bool IsConfigured => Gateway is { IsAbsoluteUri: true };
}
