using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Products;

public static class ProductEndpoints
{
    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup("/api/products").WithTags("Products").WithValidation();
        catalog.MapGet("/", List).WithSummary("List products").AllowAnonymous();
        catalog.MapGet("/{id}", Get).WithSummary("Get a product").AllowAnonymous();

        var admin = app.MapGroup("/api/products").WithTags("Products").WithValidation().RequireAuthorization(Permissions.ProductsWrite);
        admin.MapPost("/", Create)
            .WithSummary("Create a product")
            .WithDescription("Creates the product with its initial stock. A SKU is unique (compared case-insensitively); a duplicate is 409.");
        admin.MapPut("/{id}", Update)
            .WithSummary("Update a product")
            .WithDescription("Changes the given fields only. Existing orders keep the snapshot they were created with.");
        return app;
    }

    private static async Task<Ok<PageResponse<ProductResponse>>> List([AsParameters] PageQuery page, IGrainFactory grains)
    {
        var products = await grains.GetGrain<IProductCatalogGrain>(0).ListProductsAsync(page.Request);
        return TypedResults.Ok(PageResponse.From(products, ProductResponse.From));
    }

    private static async Task<Ok<ProductResponse>> Get(long id, IGrainFactory grains) =>
        TypedResults.Ok(ProductResponse.From(await grains.GetGrain<IProductGrain>(id).GetViewAsync()));

    private static async Task<Created<ProductResponse>> Create(CreateProductRequest request, IGrainFactory grains)
    {
        var product = ProductResponse.From(await grains.GetGrain<IProductRegistrarGrain>(0).CreateAsync(request.ToNewProduct()));
        return TypedResults.Created($"/api/products/{product.Id}", product);
    }

    private static async Task<Ok<ProductResponse>> Update(long id, UpdateProductRequest request, IGrainFactory grains)
    {
        var product = grains.GetGrain<IProductGrain>(id);
        await product.UpdateAsync(request.ToChanges());
        return TypedResults.Ok(ProductResponse.From(await product.GetViewAsync()));
    }
}
