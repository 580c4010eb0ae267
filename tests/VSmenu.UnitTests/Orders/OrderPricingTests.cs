using VSmenu.Api.Infrastructure;
using VSmenu.Api.Orders;
using VSmenu.Data.Menu;

namespace VSmenu.UnitTests.Orders;

public sealed class OrderPricingTests
{
    private static readonly Dictionary<long, Product> Catalogue = new()
    {
        [1] = new Product { Id = 1, Name = "Pizza Margherita", Price = 25.50m },
        [2] = new Product { Id = 2, Name = "Suco", Price = 8.00m, StockQuantity = 3 },
        [3] = new Product { Id = 3, Name = "Sorvete", Price = 12.00m, IsAvailable = false },
    };

    [Fact]
    public void Lines_are_charged_at_the_catalogue_price_whether_or_not_the_client_quoted_it()
    {
        var errors = new ValidationErrors();

        var items = OrderPricing.Price([new(1, 2, 25.50m, "sem cebola"), new(2, 1, null, null)], Catalogue, errors);

        Assert.False(errors.Any);
        Assert.Equal([51.00m, 8.00m], items.Select(item => item.Subtotal));
        Assert.Equal(["Pizza Margherita", "Suco"], items.Select(item => item.ProductName));
        Assert.Equal("sem cebola", items[0].Notes);
    }

    [Fact]
    public void A_quoted_price_that_differs_from_the_menu_is_a_stale_menu_error_on_that_line()
    {
        using var culture = new CultureScope("pt-BR");
        var errors = new ValidationErrors();

        var items = OrderPricing.Price([new(1, 1, 25.50m, null), new(1, 1, 20.00m, null)], Catalogue, errors);

        Assert.Single(items);
        var message = Assert.Single(errors.ToDictionary()["items.1.price"]);
        Assert.Equal("O preço de Pizza Margherita mudou para 25,50; atualize o cardápio.", message);
    }

    [Fact]
    public void Unknown_products_name_the_line_that_refers_to_them()
    {
        var errors = new ValidationErrors();

        OrderPricing.Price([new(1, 1, null, null), new(99, 1, null, null)], Catalogue, errors);

        Assert.Equal(["items.1.product_id"], errors.ToDictionary().Keys);
    }

    [Fact]
    public void Unavailable_products_and_stock_shortfalls_across_lines_are_refused()
    {
        var errors = new ValidationErrors();

        OrderPricing.Price([new(2, 2, null, null), new(2, 2, null, null), new(3, 1, null, null)], Catalogue, errors);

        Assert.Equal(["items.0.product_id", "items.1.product_id", "items.2.product_id"], errors.ToDictionary().Keys.Order());
    }

    [Fact]
    public void A_single_line_reports_its_fields_without_a_prefix()
    {
        var errors = new ValidationErrors();

        OrderPricing.Price([new(1, 1, 1.00m, null)], Catalogue, errors, prefix: "");

        Assert.Equal(["price"], errors.ToDictionary().Keys);
    }
}
