namespace VSmenu.Api.Edge;

/// <summary>The meter of the API's edge: rate limits, idempotency keys and request logs.</summary>
public static class ApiEdgeTelemetry
{
    public const string MeterName = "VSmenu.Api.Edge";
}
