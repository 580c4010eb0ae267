using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// What every VSmenu process shares: telemetry, health checks, service discovery and resilient HTTP clients.
/// </summary>
public static class Extensions
{
    public const string HealthEndpointPath = "/health";
    public const string AlivenessEndpointPath = "/alive";

    private const string LiveTag = "live";

    /// <summary>The names under which the OTLP exporters ask the HttpClient factory for their clients.</summary>
    private static readonly string[] OtlpExporterClients = ["OtlpTraceExporter", "OtlpMetricExporter", "OtlpLogExporter"];

    public static TBuilder AddServiceDefaults<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.ConfigureOpenTelemetry();

        builder.DropConsoleLinesWhenBehind();

        builder.AddDefaultHealthChecks();

        builder.Services.AddServiceDiscovery();

        builder.Services.ConfigureHttpClientDefaults(http =>
        {
            http.AddStandardResilienceHandler();
            http.AddServiceDiscovery();
        });

        return builder;
    }

    /// <summary>
    /// A console that cannot keep up loses lines instead of holding the code that logs. By default the console logger's
    /// queue makes the logging thread wait when it is full: with PostgreSQL frozen, 64 clients' refusals (a warning and a
    /// request line each) came faster than the console was read, and request threads were found waiting in their log call.
    /// </summary>
    public static TBuilder DropConsoleLinesWhenBehind<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.Configure<ConsoleLoggerOptions>(console => console.QueueFullMode = ConsoleLoggerQueueFullMode.DropWrite);
        return builder;
    }

    public static TBuilder ConfigureOpenTelemetry<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddMeter(VsmenuTelemetry.MeterPrefix + "*");
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(builder.Environment.ApplicationName)
                    .AddSource(VsmenuTelemetry.ActivitySourcePrefix + "*")
                    .AddAspNetCoreInstrumentation(aspNetCore =>
                        // Probes hit these every few seconds; tracing them only buries real requests. A WebSocket's request
                        // lasts as long as its connection, hours: its span would end then, with everything the socket did
                        // under it; the hub traces each delivery in the trace of the change that caused it instead.
                        aspNetCore.Filter = context =>
                            !context.Request.Path.StartsWithSegments(HealthEndpointPath)
                            && !context.Request.Path.StartsWithSegments(AlivenessEndpointPath)
                            && !IsWebSocketHandshake(context))
                    .AddHttpClientInstrumentation()
                    .AddProcessor<BackgroundCalls>();
            });

        builder.AddOpenTelemetryExporters();

        return builder;
    }

    /// <summary>
    /// A WebSocket's opening request, told by its headers: <c>WebSockets.IsWebSocketRequest</c> answers false until the
    /// WebSockets middleware has run, and the instrumentation decides before any middleware, so every socket was traced.
    /// </summary>
    private static bool IsWebSocketHandshake(HttpContext context) =>
        string.Equals(context.Request.Headers.Upgrade.ToString(), "websocket", StringComparison.OrdinalIgnoreCase)
        || context.Features.Get<IHttpExtendedConnectFeature>() is { IsExtendedConnect: true, Protocol: "websocket" };

    private static TBuilder AddOpenTelemetryExporters<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var useOtlpExporter = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);

        if (useOtlpExporter)
        {
            builder.Services.AddOpenTelemetry().UseOtlpExporter();
            // Over http/protobuf the exporters take their HttpClients from the factory, where the defaults above would add
            // a retry on top of their own and log every export at Information: each export a log record to export again.
            foreach (var exporter in OtlpExporterClients)
            {
#pragma warning disable EXTEXP0001 // Experimental, and the one way to take a named client out of ConfigureHttpClientDefaults' handler.
                builder.Services.AddHttpClient(exporter).RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
                builder.Logging.AddFilter($"System.Net.Http.HttpClient.{exporter}", LogLevel.Warning);
            }
        }

        return builder;
    }

    public static TBuilder AddDefaultHealthChecks<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddHealthChecks()
            .AddCheck("self", () => HealthCheckResult.Healthy(), [LiveTag]);

        return builder;
    }

    /// <summary>
    /// Maps <c>/health</c> (ready: every check passes) and <c>/alive</c> (live: the process answers).
    /// Both are served in every environment because orchestrators probe them in production; the body
    /// names each check and its status but never an exception or a connection detail.
    /// </summary>
    public static WebApplication MapDefaultEndpoints(this WebApplication app)
    {
        app.MapHealthChecks(HealthEndpointPath, new HealthCheckOptions
        {
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).DisableHttpMetrics();

        app.MapHealthChecks(AlivenessEndpointPath, new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(LiveTag),
            ResponseWriter = HealthReportWriter.WriteAsync,
        }).DisableHttpMetrics();

        return app;
    }
}
