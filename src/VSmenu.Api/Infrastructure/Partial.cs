using System.Linq.Expressions;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Options;
using JsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace VSmenu.Api.Infrastructure;

/// <summary>A body whose rules apply only to the fields it carries.</summary>
public interface IPartialBody
{
    ValidationErrors Validate();
}

/// <summary>Which fields of a <typeparamref name="T"/> body the client sent, asked by property: <c>sent.Has(r => r.Name)</c>.</summary>
public interface ISentFields<T>
{
    bool Has<TField>(Expression<Func<T, TField>> field);
}

/// <summary>A whole body (a POST): every field counts as sent.</summary>
public sealed class AllFieldsSent<T> : ISentFields<T>
{
    public static readonly AllFieldsSent<T> Instance = new();

    public bool Has<TField>(Expression<Func<T, TField>> field) => true;
}

/// <summary>
/// The body of a PUT/PATCH, with the names of the fields the client sent: a field that is present changes (an
/// explicit <c>null</c> clears it), a field that is absent stays as it is.
/// </summary>
public sealed class Partial<T> : IPartialBody, ISentFields<T> where T : class, IValidatableRequest
{
    private readonly JsonNamingPolicy? _naming;

    private Partial(T value, IReadOnlySet<string> fields, JsonNamingPolicy? naming)
    {
        Value = value;
        Fields = fields;
        _naming = naming;
    }

    public T Value { get; }

    public IReadOnlySet<string> Fields { get; }

    /// <summary>
    /// Whether the client sent <paramref name="field"/> (<c>body.Has(r => r.PaymentMethod)</c>), under its wire name: a
    /// renamed property is renamed here too, where a string would have compiled and silently stopped updating.
    /// </summary>
    public bool Has<TField>(Expression<Func<T, TField>> field)
    {
        var member = (field.Body as MemberExpression)?.Member
            ?? throw new ArgumentException("Name a property of the request: body.Has(r => r.Name).", nameof(field));
        var wireName = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? _naming?.ConvertName(member.Name) ?? member.Name;
        return Fields.Contains(wireName);
    }

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
        return new Partial<T>(value, fields, options.PropertyNamingPolicy);
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
