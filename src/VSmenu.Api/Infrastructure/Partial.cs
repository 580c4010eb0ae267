using System.Text.Json;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VSmenu.Api.Infrastructure;

/// <summary>A body whose rules apply only to the fields it carries.</summary>
public interface IPartialBody
{
    ValidationErrors Validate();
}

/// <summary>
/// The body of a PUT/PATCH, with the names of the fields the client sent: a field that is present changes (an
/// explicit <c>null</c> clears it), a field that is absent stays as it is.
/// </summary>
public sealed class Partial<T> : IPartialBody where T : class, IValidatableRequest
{
    private Partial(T value, IReadOnlySet<string> fields)
    {
        Value = value;
        Fields = fields;
    }

    public T Value { get; }

    public IReadOnlySet<string> Fields { get; }

    public bool Has(string field) => Fields.Contains(field);

    public ValidationErrors Validate()
    {
        var validator = new Validator(Fields);
        Value.Validate(validator);
        return validator.Errors;
    }

    /// <summary>The partial body that <paramref name="body"/> is; a <see cref="JsonException"/> when it is not a JSON object of <typeparamref name="T"/>.</summary>
    public static Partial<T> From(JsonElement body, JsonSerializerOptions options)
    {
        if (body.ValueKind is not JsonValueKind.Object)
        {
            throw new JsonException("The body must be a JSON object.", "$", null, null);
        }

        var fields = body.EnumerateObject().Select(property => property.Name).ToHashSet(StringComparer.Ordinal);
        var value = body.Deserialize<T>(options) ?? throw new JsonException("The body must be a JSON object.", "$", null, null);
        return new Partial<T>(value, fields);
    }

    public static async ValueTask<Partial<T>?> BindAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Expected a JSON body (Content-Type: application/json).", StatusCodes.Status415UnsupportedMediaType);
        }

        var options = context.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            return From(document.RootElement, options);
        }
        catch (JsonException invalid)
        {
            throw new BadHttpRequestException(invalid.Message, StatusCodes.Status400BadRequest, invalid);
        }
    }
}
