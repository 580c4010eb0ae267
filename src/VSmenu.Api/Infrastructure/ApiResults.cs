using System.Text.Json.Serialization;
using Microsoft.AspNetCore.WebUtilities;

namespace VSmenu.Api.Infrastructure;

/// <summary>The error body of the whole API: <c>{"message": ..., "errors": {"field": [...]}}</c>.</summary>
public sealed record ErrorBody(
    string Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors = null,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? TraceId = null);

/// <summary>Error responses in the API's one shape.</summary>
public static class ApiResults
{
    public static IResult Error(int status, string message, IReadOnlyDictionary<string, string[]>? errors = null) =>
        TypedResults.Json(new ErrorBody(message, errors), statusCode: status);

    public static IResult NotFound() => Error(StatusCodes.Status404NotFound, ApiText.NotFound.Format());

    public static IResult Forbidden(string? message = null) => Error(StatusCodes.Status403Forbidden, message ?? ApiText.Forbidden.Format());

    public static IResult Conflict(string message) => Error(StatusCodes.Status409Conflict, message);

    public static IResult Invalid(ValidationErrors errors) =>
        Error(StatusCodes.Status422UnprocessableEntity, ApiText.ValidationFailed.Format(), errors.ToDictionary());

    /// <summary>The message for a status that carries no more specific one.</summary>
    public static string StatusMessage(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => ApiText.Unauthenticated.Format(),
        StatusCodes.Status403Forbidden => ApiText.Forbidden.Format(),
        StatusCodes.Status404NotFound => ApiText.NotFound.Format(),
        StatusCodes.Status405MethodNotAllowed => ApiText.MethodNotAllowed.Format(),
        StatusCodes.Status413PayloadTooLarge => ApiText.BodyTooLarge.Format(),
        StatusCodes.Status415UnsupportedMediaType => ApiText.UnsupportedMediaType.Format(),
        < StatusCodes.Status500InternalServerError => ApiText.BadRequest.Format(ReasonPhrases.GetReasonPhrase(status)),
        _ => ApiText.ServerError.Format(),
    };

    public static IResult Invalid(string field, string message) => Invalid(new ValidationErrors().Add(field, message));
}

/// <summary>Thrown where returning a result is impractical (query parsing, body binding); mapped by <see cref="ApiExceptionHandler"/>.</summary>
public sealed class ApiProblemException(int status, string message) : Exception(message)
{
    public int Status { get; } = status;
}
