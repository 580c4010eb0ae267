namespace VSmenu.Api.Infrastructure;

/// <summary>
/// How a domain command ended, for every way in (a REST endpoint, a sync push): its record and status, or the error
/// the API answers with. <see cref="Replayed"/> marks a create that found the record an earlier try made.
/// </summary>
public sealed record Outcome<T>(T? Value, int Status, ErrorBody? Error, bool Replayed = false) where T : class
{
    public bool Succeeded => Error is null;

    public static Outcome<T> Done(T? value, int status = StatusCodes.Status200OK) => new(value, status, null);

    public static Outcome<T> Failed(int status, string message, ValidationErrors? errors = null) =>
        new(null, status, new ErrorBody(message, errors?.ToDictionary()));

    public static Outcome<T> Invalid(ValidationErrors errors) =>
        Failed(StatusCodes.Status422UnprocessableEntity, ApiText.ValidationFailed.Format(), errors);

    public static Outcome<T> NotFound() => Failed(StatusCodes.Status404NotFound, ApiText.NotFound.Format());

    public static Outcome<T> Forbidden(string? message = null) => Failed(StatusCodes.Status403Forbidden, message ?? ApiText.Forbidden.Format());

    public IResult ToResult(Func<T?, IResult> done) => Error is null ? done(Value) : TypedResults.Json(Error, statusCode: Status);
}
