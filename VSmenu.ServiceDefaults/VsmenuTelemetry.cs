namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every VSmenu activity source and meter is named under one prefix, so ServiceDefaults exports them all
/// without each service having to register its own.
/// </summary>
public static class VsmenuTelemetry
{
    public const string ActivitySourcePrefix = "VSmenu.";
    public const string MeterPrefix = "VSmenu.";

    /// <summary>The restaurant a span worked for: a dashboard filter that finds one restaurant's traffic.</summary>
    public const string TenantAttribute = "vsmenu.tenant.id";
}
