using System.Net.Mail;
using VSmenu.Data;

namespace VSmenu.Api.Infrastructure;

/// <summary>A request body that checks its own shape (the rules that need no database).</summary>
public interface IValidatableRequest
{
    void Validate(Validator validator);
}

/// <summary>
/// Collects field errors. For a create every rule runs; for an update (<paramref name="providedFields"/> given)
/// only the fields the client sent are checked, as Laravel validates <c>sometimes</c> fields.
/// </summary>
public sealed class Validator(IReadOnlySet<string>? providedFields = null)
{
    public ValidationErrors Errors { get; } = new();

    /// <summary>Every rule of <paramref name="request"/>, as for a create.</summary>
    public static ValidationErrors Check(IValidatableRequest request)
    {
        var validator = new Validator();
        request.Validate(validator);
        return validator.Errors;
    }

    public bool IsProvided(string field) => providedFields is null || providedFields.Contains(field);

    public FieldRules<T> Field<T>(string name, T value) => new(Errors, name, value, IsProvided(name));
}

/// <summary>The rules of one field; after the first failure the rest are skipped (Laravel's <c>bail</c>).</summary>
public sealed class FieldRules<T>
{
    private readonly ValidationErrors _errors;
    private readonly bool _provided;
    private bool _failed;

    internal FieldRules(ValidationErrors errors, string name, T value, bool provided)
    {
        _errors = errors;
        Name = name;
        Value = value;
        _provided = provided;
    }

    public string Name { get; }

    public T Value { get; }

    private bool IsMissing => Value is null || (Value is string text && string.IsNullOrWhiteSpace(text));

    public FieldRules<T> Required() => Fail(_provided && IsMissing, ApiText.Required, Name);

    /// <summary>Required because of another field's value; applies even when an update leaves this field out.</summary>
    public FieldRules<T> RequiredWhen(bool condition, string otherField, string otherValue) =>
        Fail(condition && IsMissing, ApiText.RequiredWhen, Name, otherField, otherValue);

    public FieldRules<T> ProhibitedWhen(bool condition, string otherField, string otherValue) =>
        Fail(condition && !IsMissing, ApiText.ProhibitedWhen, Name, otherField, otherValue);

    /// <summary>Fails with <paramref name="message"/> when the field has a value and <paramref name="rule"/> says no.</summary>
    public FieldRules<T> Must(Func<T, bool> rule, LocalizedText message, params object?[] arguments) =>
        Fail(_provided && Value is not null && !rule(Value), message, [Name, .. arguments]);

    private FieldRules<T> Fail(bool failed, LocalizedText message, params object?[] arguments)
    {
        if (!_failed && failed)
        {
            _errors.Add(Name, message.Format(arguments));
            _failed = true;
        }

        return this;
    }
}

public static class FieldRuleExtensions
{
    public static FieldRules<string?> MaxLength(this FieldRules<string?> field, int max) =>
        field.Must(text => text!.Length <= max, ApiText.MaxLength, max);

    public static FieldRules<string?> MinLength(this FieldRules<string?> field, int min) =>
        field.Must(text => text!.Length >= min, ApiText.MinLength, min);

    public static FieldRules<string?> Email(this FieldRules<string?> field) =>
        field.Must(text => MailAddress.TryCreate(text, out var address) && address.Address == text && text!.Contains('.'), ApiText.Email);

    public static FieldRules<string?> OneOf<TEnum>(this FieldRules<string?> field) where TEnum : struct, Enum =>
        field.Must(text => WireEnum<TEnum>.TryParse(text, out _), ApiText.OneOf, string.Join(", ", WireEnum<TEnum>.Names));

    public static FieldRules<TNumber?> Between<TNumber>(this FieldRules<TNumber?> field, TNumber min, TNumber max)
        where TNumber : struct, IComparable<TNumber> =>
        field.Must(number => number!.Value.CompareTo(min) >= 0 && number.Value.CompareTo(max) <= 0, ApiText.Between, min, max);

    public static FieldRules<decimal?> DecimalPlaces(this FieldRules<decimal?> field, int places) =>
        field.Must(number => decimal.Round(number!.Value, places) == number.Value, ApiText.DecimalPlaces, places);
}
