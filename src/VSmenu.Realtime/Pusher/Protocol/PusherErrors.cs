namespace VSmenu.Realtime.Pusher;

/// <summary>Pusher's close and error codes that the hub uses (protocol 7; 4000–4099 no reconnect, 4100–4199 back off, 4200–4299 reconnect).</summary>
public static class PusherErrors
{
    public const int ApplicationDoesNotExist = 4001;
    public const int ApplicationDisabled = 4003;
    public const int OverConnectionQuota = 4004;
    public const int UnsupportedProtocol = 4007;
    public const int Unauthorized = 4009;
    public const int OverCapacity = 4100;
    public const int Reconnect = 4200;
    public const int PongNotReceived = 4201;
    public const int ClientEventRejected = 4301;
}
