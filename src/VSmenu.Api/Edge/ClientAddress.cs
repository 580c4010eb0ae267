namespace VSmenu.Api.Edge;

/// <summary>The client's address as the API sees it: the connection's peer, or the client a trusted proxy names.</summary>
public static class ClientAddress
{
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
