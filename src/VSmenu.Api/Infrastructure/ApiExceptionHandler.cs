using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// The one mapping from exceptions to responses: malformed input is a 4xx with a message, database conflicts are
/// 409, and anything unexpected is a 500 that, outside Development, says nothing but a trace id to quote.
/// </summary>
internal sealed partial class ApiExceptionHandler(IHostEnvironment environment, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
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
        if (status >= StatusCodes.Status500InternalServerError)
        {
            LogUnhandled(exception, context.Request.Method, context.Request.Path);
            traceId = Activity.Current?.TraceId.ToString() ?? context.TraceIdentifier;
            message = environment.IsDevelopment() ? $"{exception.GetType().Name}: {exception.Message}" : ApiText.ServerError.Format();
        }

        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new ErrorBody(message, TraceId: traceId), cancellationToken);
        return true;
    }

    private static (int Status, string Message) Map(Exception exception) => exception switch
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
        _ => (StatusCodes.Status500InternalServerError, ApiText.ServerError.Format()),
    };

    [LoggerMessage(LogLevel.Error, "Unhandled exception on {Method} {Path}")]
    private partial void LogUnhandled(Exception exception, string method, string path);
}
