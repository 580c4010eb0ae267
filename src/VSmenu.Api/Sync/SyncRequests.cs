using System.Text.Json;
using System.Text.Json.Serialization;
using VSmenu.Api.Infrastructure;

namespace VSmenu.Api.Sync;

/// <summary>A terminal's pending mutations, in id order: <c>{"client_id", "mutations": [{"id", "name", "args"}]}</c>.</summary>
public sealed record PushRequest(Guid? ClientId, IReadOnlyList<MutationRequest?>? Mutations) : IValidatableRequest
{
    /// <summary>Hours of a busy till offline in one request.</summary>
    public const int MaxMutations = 1000;

    public void Validate(Validator validator)
    {
        validator.Field("client_id", ClientId).Required();
        if (Mutations is null || Mutations.Count == 0)
        {
            validator.Errors.Add("mutations", ApiText.Required.Format("mutations"));
            return;
        }

        validator.Field("mutations", Mutations).Must(mutations => mutations.Count <= MaxMutations, ApiText.MaxItems, MaxMutations);
        for (var i = 0; i < Math.Min(Mutations.Count, MaxMutations); i++)
        {
            if (Mutations[i] is not { } mutation)
            {
                validator.Field($"mutations.{i}", Mutations[i]).Required();
                continue;
            }

            var expectedId = i > 0 && Mutations[i - 1]?.Id is { } previous ? previous + 1 : (long?)null;
            validator.Field($"mutations.{i}.id", mutation.Id).Required().Between(1, long.MaxValue)
                .Must(id => expectedId is null || id == expectedId, ApiText.MutationOutOfOrder, expectedId);
            validator.Field($"mutations.{i}.name", mutation.Name).Required()
                .Must(name => MutationNames.All.Contains(name!), ApiText.OneOf, string.Join(", ", MutationNames.All));
            validator.Field($"mutations.{i}.args", mutation.Args).Required()
                .Must(args => args!.Value.ValueKind is JsonValueKind.Object, ApiText.InvalidFormat);
        }
    }
}

/// <summary>One offline change: <c>args</c> is the REST body (with the order's <c>id</c> or <c>client_id</c> for an update or delete).</summary>
public sealed record MutationRequest(long? Id, string? Name, JsonElement? Args);

public static class MutationNames
{
    public const string CreateOrder = "orders.create";
    public const string UpdateOrder = "orders.update";
    public const string DeleteOrder = "orders.delete";

    public static readonly IReadOnlyList<string> All = [CreateOrder, UpdateOrder, DeleteOrder];
}

/// <summary>
/// What became of one mutation: <c>applied</c> with the record it left (none for a delete), or <c>rejected</c> with the
/// status, message and field errors the REST API would have answered, and the server's record when there is one.
/// </summary>
public sealed record MutationResult(
    long Id,
    string Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] object? Record,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? StatusCode,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Message,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyDictionary<string, string[]>? Errors)
{
    public const string Applied = "applied";
    public const string Rejected = "rejected";
}

public sealed record PushResult(IReadOnlyList<JsonElement> Results, long LastMutationId, string Cursor);

/// <summary>A push that skipped mutations: the terminal must push again from <c>last_mutation_id + 1</c>.</summary>
public sealed record MutationGapBody(string Message, long LastMutationId);

/// <summary>A cursor that can no longer be served: the client pulls again without one.</summary>
public sealed record ResetRequiredBody(string Message, bool ResetRequired = true);
