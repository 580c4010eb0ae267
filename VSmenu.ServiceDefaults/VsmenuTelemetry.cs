namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every VSmenu activity source and meter is named under one prefix, so ServiceDefaults exports them all
/// without each service having to register its own.
/// </summary>
public static class VsmenuTelemetry
{
    public const string ActivitySourcePrefix = "VSmenu.";
    public const string MeterPrefix = "VSmenu.";
}
