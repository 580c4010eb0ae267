using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VSmenu.Resilience;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// The one mapping from exceptions to responses: malformed input is a 4xx with a message, database conflicts are
/// 409, a dependency down is a 503 with <c>Retry-After</c>, and anything unexpected is a 500 that, outside
/// Development, says nothing but a trace id to quote.
/// </summary>
internal sealed partial class ApiExceptionHandler(IHostEnvironment environment, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Long enough for a restarting database or Redis, short enough that a waiter's tablet retries soon.</summary>
    private const string DependencyRetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && context.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody is left to answer, and it is not the server's error.
            context.Response.StatusCode = StatusCodes.Status499ClientClosedRequest;
            return true;
        }

        var (status, message) = Map(exception);
        string? traceId = null;
        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            if (exception is DependencyUnavailableException refused)
            {
                // Refused at once by an open circuit: the failures that opened it were logged with their stack traces, the
                // request log has the 503, and vsmenu.resilience.breaker.refused counts them; a warning for each of the
                // thousands refused during a freeze would only make the refusals slower.
                LogRefused(refused.Dependency, context.Request.Method, context.Request.Path);
            }
            else
            {
                LogDependencyDown(exception, context.Request.Method, context.Request.Path);
            }

            traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            context.Response.Headers.RetryAfter = DependencyRetryAfterSeconds;
        }
        else if (status >= StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, context.Request.Method, context.Request.Path);
            traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            message = environment.IsDevelopment() ? $"{exception.GetType().Name}: {exception.Message}" : ApiText.ServerError.Format();
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(message, TraceId: traceId), cancellationToken);
        return true;
    }

    internal static (int Status, string Message) Map(Exception exception) => exception switch
    {
        ApiProblemException problem => (problem.Status, problem.Message),
        BadHttpRequestException { InnerException: JsonException json } => (StatusCodes.Status400BadRequest, ApiText.MalformedJson.Format(json.Path ?? "$")),
        BadHttpRequestException { StatusCode: not StatusCodes.Status400BadRequest } bad => (bad.StatusCode, ApiResults.StatusMessage(bad.StatusCode)),
        BadHttpRequestException bad => (bad.StatusCode, ApiText.BadRequest.Format(bad.Message)),
        DbUpdateConcurrencyException => (StatusCodes.Status409Conflict, ApiText.ConcurrentChange.Format()),
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } =>
            (StatusCodes.Status409Conflict, ApiText.Duplicate.Format()),
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.ForeignKeyViolation } } =>
            (StatusCodes.Status409Conflict, ApiText.InUse.Format()),
        // A value the validation let through and the column cannot hold: the client's input, never the server's fault.
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.NumericValueOutOfRange or PostgresErrorCodes.DatetimeFieldOverflow } } =>
            (StatusCodes.Status422UnprocessableEntity, ApiText.OutOfRange.Format()),
        _ when IsDependencyDown(exception) => (StatusCodes.Status503ServiceUnavailable, ApiText.DependencyDown.Format()),
        _ => (StatusCodes.Status500InternalServerError, ApiText.ServerError.Format()),
    };

    /// <summary>
    /// PostgreSQL or Redis down, hanging or behind an open circuit (<see cref="DependencyFailure"/>), or another of our
    /// services unreachable or too slow, however deep it was wrapped (EF's retry strategy gives up with its own exception
    /// around the last failure; the HTTP resilience pipeline with a timeout or an open circuit).
    /// </summary>
    internal static bool IsDependencyDown(Exception? exception)
    {
        if (DependencyFailure.IsBackingStoreDown(exception))
        {
            return true;
        }

        for (; exception is not null; exception = exception.InnerException)
        {
            if (exception is TimeoutException or HttpRequestException or Polly.ExecutionRejectedException)
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(LogLevel.Warning, "A dependency is unavailable on {Method} {Path}")]
    private partial void LogDependencyDown(Exception exception, string method, string path);

    [LoggerMessage(LogLevel.Debug, "{Dependency}'s circuit is open: {Method} {Path} answered 503 at once")]
    private partial void LogRefused(string dependency, string method, string path);

    [LoggerMessage(LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
