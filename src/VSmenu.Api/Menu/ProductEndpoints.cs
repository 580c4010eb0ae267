using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Menu;

namespace VSmenu.Api.Menu;

public static class ProductEndpoints
{
    private const string CategoryInclude = "category";

    private static readonly Listing<Product> Listing = new Listing<Product>(product => product.Id, defaultSort: "name")
        .Sort("name", product => product.Name)
        .Sort("price", product => product.Price)
        .Sort("stock_quantity", product => product.StockQuantity)
        .Sort("created_at", product => product.CreatedAt)
        .FilterNumber("category_id", categoryId => product => product.CategoryId == categoryId)
        .FilterFlag("is_available", available => product => product.IsAvailable == available)
        .FilterContains("search", pattern => product => EF.Functions.ILike(product.Name, pattern) || EF.Functions.ILike(product.Sku!, pattern))
        .Include(CategoryInclude, products => products.Include(product => product.Category));

    public static RouteGroupBuilder MapProductEndpoints(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Menu");

        products.MapList(Listing, (product, includes) => ProductResource.From(product, includes.Contains(CategoryInclude)));
        products.MapShow<Product, ProductResource>(query => query.Include(product => product.Category), product => ProductResource.From(product, withCategory: true));
        products.MapPost("/", CreateAsync).Produces<DataResponse<ProductResource>>(StatusCodes.Status201Created).RequireAuthorization(MenuPolicies.ManageMenu);
        products.MapUpdate<Product, ProductRequest, ProductResource>(
                (product, update) => ApplyAsync(product, update.Value, update.Body, update.Db, update.Socket, update.CancellationToken),
                product => ProductResource.From(product, withCategory: false))
            .RequireAuthorization(MenuPolicies.ManageMenu);
        products.MapDestroy<Product>().RequireAuthorization(MenuPolicies.ManageMenu);
        return api;
    }

    private static async Task<IResult> CreateAsync(ProductRequest body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var product = new Product { Name = body.Name!, Price = body.Price!.Value, CategoryId = body.CategoryId!.Value };
        if (await ApplyAsync(product, body, AllFieldsSent<ProductRequest>.Instance, db, socketId: null, cancellationToken) is { } invalid)
        {
            return invalid;
        }

        db.Products.Add(product);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/products/{product.Id}", DataResponse.Of(ProductResource.From(product, withCategory: false)));
    }

    /// <summary>Checks the given fields against the tenant's data and applies them; returns a 422 when they do not fit.</summary>
    private static async Task<IResult?> ApplyAsync(
        Product product, ProductRequest request, ISentFields<ProductRequest> given, VsmenuDbContext db, string? socketId, CancellationToken cancellationToken)
    {
        var errors = new ValidationErrors();
        if (given.Has(r => r.CategoryId) && !await db.Categories.AnyAsync(category => category.Id == request.CategoryId, cancellationToken))
        {
            errors.Add("category_id", ApiText.Exists.Format("category_id"));
        }

        var sku = string.IsNullOrWhiteSpace(request.Sku) ? null : request.Sku.Trim();
        if (given.Has(r => r.Sku) && sku is not null
            && await db.Products.AnyAsync(other => other.Sku == sku && other.Id != product.Id, cancellationToken))
        {
            errors.Add("sku", ApiText.Unique.Format("sku"));
        }

        if (errors.Any)
        {
            return ApiResults.Invalid(errors);
        }

        var wasOrderable = product.Id != 0 && product.CanSupply(1);
        if (given.Has(r => r.Name)) product.Name = request.Name!;
        if (given.Has(r => r.Description)) product.Description = request.Description;
        if (given.Has(r => r.Price)) product.Price = request.Price!.Value;
        if (given.Has(r => r.CategoryId)) product.CategoryId = request.CategoryId!.Value;
        if (given.Has(r => r.Sku)) product.Sku = sku;
        if (given.Has(r => r.StockQuantity)) product.StockQuantity = request.StockQuantity;
        if (given.Has(r => r.IsAvailable) && request.IsAvailable is { } available) product.IsAvailable = available;

        if (wasOrderable && !product.CanSupply(1))
        {
            db.BroadcastOnSave(() => MenuEvents.OutOfStock(product), socketId);
        }

        return null;
    }
}
