using System.Globalization;
using PdfSharp.Drawing;
using PdfSharp.Pdf;
using VSmenu.Data.Orders;
using VSmenu.Data.Tenants;

namespace VSmenu.Worker.Invoices;

/// <summary>Lays out an order's invoice on one A4 page per 30 lines: restaurant, number, customer, items, total.</summary>
public static class InvoiceDocument
{
    private const int LinesPerPage = 30;
    private static readonly CultureInfo Brazil = CultureInfo.GetCultureInfo("pt-BR");

    public static byte[] Render(Tenant restaurant, Order order, string number, DateTimeOffset issuedAt)
    {
        EmbeddedFontResolver.Install();
        using var document = new PdfDocument();
        document.Info.Title = $"Nota {number}";
        document.Info.Author = restaurant.Name;

        var heading = new XFont(EmbeddedFontResolver.Family, 18, XFontStyleEx.Bold);
        var text = new XFont(EmbeddedFontResolver.Family, 11, XFontStyleEx.Regular);
        var strong = new XFont(EmbeddedFontResolver.Family, 11, XFontStyleEx.Bold);
        var pages = order.Items.Chunk(LinesPerPage).DefaultIfEmpty([]).ToList();
        for (var index = 0; index < pages.Count; index++)
        {
            var page = document.AddPage();
            page.Size = PdfSharp.PageSize.A4;
            using var graphics = XGraphics.FromPdfPage(page);
            var y = 50.0;
            graphics.DrawString(restaurant.Name, heading, XBrushes.Black, 50, y);
            y += 28;
            graphics.DrawString($"Nota {number}  ·  pedido #{order.Id}  ·  {issuedAt.ToString("dd/MM/yyyy HH:mm", Brazil)} UTC", text, XBrushes.Black, 50, y);
            y += 18;
            graphics.DrawString($"Cliente: {order.Customer?.Name ?? "consumidor final"}", text, XBrushes.Black, 50, y);
            y += 30;
            foreach (var item in pages[index])
            {
                graphics.DrawString($"{item.Quantity} x {item.ProductName}", text, XBrushes.Black, 50, y);
                graphics.DrawString(item.Subtotal.ToString("C", Brazil), text, XBrushes.Black, new XRect(350, y - 11, 195, 14), XStringFormats.TopRight);
                y += 18;
            }

            if (index == pages.Count - 1)
            {
                y += 12;
                graphics.DrawString("Total", strong, XBrushes.Black, 50, y);
                graphics.DrawString(order.Total.ToString("C", Brazil), strong, XBrushes.Black, new XRect(350, y - 11, 195, 14), XStringFormats.TopRight);
            }
        }

        using var output = new MemoryStream();
        document.Save(output, closeStream: false);
        return output.ToArray();
    }
}
