using System.Diagnostics;
using System.Security.Claims;
using VSmenu.Api.Auth;

namespace VSmenu.Api.Edge.RequestLogging;

/// <summary>
/// One structured log record per API request, after the response: method, route template, status, duration, user,
/// tenant, client address and trace id. Never headers, query strings or bodies, which carry tokens and passwords.
/// </summary>
internal sealed partial class RequestLogMiddleware(RequestDelegate next, ILogger<RequestLogMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!logger.IsEnabled(LogLevel.Information))
        {
            await next(context);
            return;
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        finally
        {
            var route = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
            LogRequest(
                context.Request.Method,
                route,
                context.Response.StatusCode,
                Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                context.User.FindFirstValue(CallerClaims.UserId),
                context.User.FindFirstValue(CallerClaims.TenantId),
                ClientAddress.Of(context),
                Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier);
        }
    }

    [LoggerMessage(LogLevel.Information,
        "HTTP {Method} {Route} responded {StatusCode} in {DurationMs:0.0} ms (user {UserId}, tenant {TenantId}, ip {ClientIp}, trace {TraceId})")]
    private partial void LogRequest(string method, string route, int statusCode, double durationMs, string? userId, string? tenantId, string clientIp, string traceId);
}

public static class RequestLogExtensions
{
    /// <summary>
    /// Logs every request under <c>/api</c> and <c>/broadcasting</c> (not health probes); outermost, so the status is
    /// the one the client got, including those the exception handler wrote.
    /// </summary>
    public static WebApplication UseRequestLogs(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/broadcasting"),
            api => api.UseMiddleware<RequestLogMiddleware>());
        return app;
    }
}
