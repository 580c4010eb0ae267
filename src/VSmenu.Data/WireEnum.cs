using System.Text.Json;

namespace VSmenu.Data;

/// <summary>An enum's names as the wire and the database spell them: snake_case (<c>out_for_delivery</c>).</summary>
public static class WireEnum<TEnum> where TEnum : struct, Enum
{
    private static readonly Dictionary<TEnum, string> NamesByValue =
        Enum.GetValues<TEnum>().ToDictionary(value => value, value => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString()));

    private static readonly Dictionary<string, TEnum> ValuesByName =
        NamesByValue.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);

    public static IReadOnlyCollection<string> Names => NamesByValue.Values;

    public static string Name(TEnum value) => NamesByValue[value];

    public static bool TryParse(string? name, out TEnum value) => ValuesByName.TryGetValue(name ?? "", out value);

    public static TEnum Parse(string name) =>
        TryParse(name, out var value) ? value : throw new FormatException($"'{name}' is not a {typeof(TEnum).Name}.");
}
