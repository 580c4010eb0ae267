using System.Text.Json;

namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Finds JSON objects that name a property twice. Readers disagree on such a body (System.Text.Json binds names ignoring
/// case and lets the last win, a look-up by exact name finds the first), so a check reading one value and an endpoint
/// binding another can be set against each other (a sign-in limit counted for a decoy e-mail while the password was
/// tried on the victim's). Every service refuses such bodies instead of guessing.
/// </summary>
public static class JsonPropertyNames
{
    /// <summary>
    /// The first property whose name repeats within its object, comparing names after unescaping and ignoring case; null when
    /// none does or when <paramref name="json"/> is not well-formed JSON (the body's reader answers that).
    /// </summary>
    public static string? FindRepeated(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var objects = new Stack<HashSet<string>?>();
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.StartObject:
                        objects.Push(new HashSet<string>(StringComparer.OrdinalIgnoreCase));
                        break;
                    case JsonTokenType.StartArray:
                        objects.Push(null);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        objects.Pop();
                        break;
                    case JsonTokenType.PropertyName when !objects.Peek()!.Add(reader.GetString()!):
                        return reader.GetString();
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }
}
