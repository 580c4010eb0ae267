using System.Text.Json.Serialization;
using VSmenu.Api.Infrastructure;
using VSmenu.Data.Menu;

namespace VSmenu.Api.Menu;

public sealed record CategoryRequest(string? Name, string? Description, int? Position) : IValidatableRequest
{
    public void Validate(Validator validator)
    {
        validator.Field("name", Name).Required().MaxLength(100);
        validator.Field("description", Description).MaxLength(500);
        validator.Field("position", Position).Between(0, 10_000);
    }
}

public sealed record ProductRequest(
    string? Name, string? Description, decimal? Price, long? CategoryId, string? Sku, int? StockQuantity, bool? IsAvailable) : IValidatableRequest
{
    public const decimal MaxPrice = 99_999_999.99m;

    public void Validate(Validator validator)
    {
        validator.Field("name", Name).Required().MaxLength(120);
        validator.Field("description", Description).MaxLength(1000);
        validator.Field("price", Price).Required().Between(0m, MaxPrice).DecimalPlaces(2);
        validator.Field("category_id", CategoryId).Required();
        validator.Field("sku", Sku).MaxLength(64);
        validator.Field("stock_quantity", StockQuantity).Between(0, 1_000_000);
    }
}

public sealed record CategorySummary(long Id, string Name);

public sealed record CategoryResource(
    long Id, string Name, string? Description, int Position,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] IReadOnlyList<ProductResource>? Products,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static CategoryResource From(Category category, bool withProducts) => new(
        category.Id, category.Name, category.Description, category.Position,
        withProducts ? category.Products.ConvertAll(product => ProductResource.From(product, withCategory: false)) : null,
        category.CreatedAt, category.UpdatedAt);
}

public sealed record ProductResource(
    long Id, long CategoryId, string Name, string? Description, decimal Price, string? Sku, int? StockQuantity, bool IsAvailable,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] CategorySummary? Category,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    public static ProductResource From(Product product, bool withCategory) => new(
        product.Id, product.CategoryId, product.Name, product.Description, product.Price, product.Sku, product.StockQuantity, product.IsAvailable,
        withCategory ? new CategorySummary(product.Category.Id, product.Category.Name) : null,
        product.CreatedAt, product.UpdatedAt);
}
