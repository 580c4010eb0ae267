namespace VSmenu.Broadcasting;

/// <summary>
/// The Pusher application that clients connect to (configuration section <c>Pusher</c>, set by the AppHost): its
/// id and key are public, the secret signs channel authorizations and HTTP API calls and is shared only by the
/// api and the realtime hub.
/// </summary>
public sealed class PusherAppOptions
{
    public const string SectionName = "Pusher";

    public string AppId { get; set; } = "";

    public string Key { get; set; } = "";

    public string Secret { get; set; } = "";
}
