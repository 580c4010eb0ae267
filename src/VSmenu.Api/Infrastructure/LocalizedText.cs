using System.Globalization;

namespace VSmenu.Api.Infrastructure;

/// <summary>
/// A message in the API's two languages: Portuguese (pt-BR) by default, English when the request's
/// <c>Accept-Language</c> prefers it (request localization sets the culture per request).
/// </summary>
public sealed class LocalizedText(string portuguese, string english)
{
    public string Format(params object?[] arguments)
    {
        var culture = CultureInfo.CurrentUICulture;
        var template = culture.TwoLetterISOLanguageName == "en" ? english : portuguese;
        return string.Format(culture, template, arguments);
    }
}
