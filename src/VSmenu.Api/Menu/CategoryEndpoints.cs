using Microsoft.EntityFrameworkCore;
using VSmenu.Api.Infrastructure;
using VSmenu.Data;
using VSmenu.Data.Menu;

namespace VSmenu.Api.Menu;

public static class CategoryEndpoints
{
    private const string ProductsInclude = "products";

    private static readonly Listing<Category> Listing = new Listing<Category>(category => category.Id, defaultSort: "position,name")
        .Sort("name", category => category.Name)
        .Sort("position", category => category.Position)
        .Sort("created_at", category => category.CreatedAt)
        .FilterContains("search", pattern => category => EF.Functions.ILike(category.Name, pattern))
        .Include(ProductsInclude, categories => categories.Include(category => category.Products.OrderBy(product => product.Name)));

    public static RouteGroupBuilder MapCategoryEndpoints(this RouteGroupBuilder api)
    {
        var categories = api.MapGroup("/categories").WithTags("Menu");

        categories.MapList(Listing, (category, includes) => CategoryResource.From(category, includes.Contains(ProductsInclude)));
        categories.MapShow<Category, CategoryResource>(
            query => query.Include(category => category.Products.OrderBy(product => product.Name)),
            category => CategoryResource.From(category, withProducts: true));
        categories.MapPost("/", CreateAsync).Produces<DataResponse<CategoryResource>>(StatusCodes.Status201Created).RequireAuthorization(MenuPolicies.ManageMenu);
        categories.MapUpdate<Category, CategoryRequest, CategoryResource>(Apply, category => CategoryResource.From(category, withProducts: false))
            .RequireAuthorization(MenuPolicies.ManageMenu);
        categories.MapDestroy<Category>().RequireAuthorization(MenuPolicies.ManageMenu);
        return api;
    }

    private static async Task<IResult> CreateAsync(CategoryRequest body, VsmenuDbContext db, CancellationToken cancellationToken)
    {
        var category = new Category { Name = body.Name!, Description = body.Description, Position = body.Position ?? 0 };
        db.Categories.Add(category);
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/categories/{category.Id}", DataResponse.Of(CategoryResource.From(category, withProducts: false)));
    }

    private static void Apply(Category category, Partial<CategoryRequest> body)
    {
        var request = body.Value;
        if (body.Has(r => r.Name)) category.Name = request.Name!;
        if (body.Has(r => r.Description)) category.Description = request.Description;
        if (body.Has(r => r.Position)) category.Position = request.Position ?? 0;
    }
}
