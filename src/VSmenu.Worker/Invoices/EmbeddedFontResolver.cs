using PdfSharp.Fonts;
using PdfSharp.WPFonts;

namespace VSmenu.Worker.Invoices;

/// <summary>
/// Serves PDFsharp the Segoe WP faces that ship inside the PDFsharp package, so invoices render the same on every
/// machine, including containers and CI runners without any system font.
/// </summary>
internal sealed class EmbeddedFontResolver : IFontResolver
{
    public const string Family = "Segoe WP";
    private const string Regular = "segoe-wp";
    private const string Bold = "segoe-wp-bold";

    public FontResolverInfo ResolveTypeface(string familyName, bool bold, bool italic) =>
        new(bold ? Bold : Regular, false, italic);

    public byte[] GetFont(string faceName) => faceName == Bold ? FontDataHelper.SegoeWPBold : FontDataHelper.SegoeWP;

    private static readonly Lock Installing = new();

    /// <summary>PDFsharp takes one process-wide resolver, settable once.</summary>
    public static void Install()
    {
        lock (Installing)
        {
            GlobalFontSettings.FontResolver ??= new EmbeddedFontResolver();
        }
    }
}
