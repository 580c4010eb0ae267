namespace VSmenu.Api.Edge.Cors;

/// <summary>
/// Which browser origins may call the API (configuration section <c>Cors</c>), as the spec's <c>config/cors.php</c>:
/// any <c>https</c> subdomain of vsmenu.io and the local front-end dev servers. <c>*.</c> matches any subdomain.
/// </summary>
public sealed class VsmenuCorsOptions
{
    public const string SectionName = "Cors";

    public string[] AllowedOrigins { get; set; } = ["https://*.vsmenu.io", "http://localhost:5173", "http://localhost:3000"];
}
