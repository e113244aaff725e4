using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Inventory;

public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/inventory").WithTags("Inventory").WithValidation().RequireAuthorization(Permissions.InventoryRead);
        read.MapGet("/", List).WithSummary("List inventory records");
        read.MapGet("/{product_id}", Get).WithSummary("Get a product's inventory record");

        var write = app.MapGroup("/api/inventory").WithTags("Inventory").WithValidation().RequireAuthorization(Permissions.InventoryWrite);
        write.MapPost("/{product_id}/adjustments", Adjust)
            .WithSummary("Adjust stock")
            .WithDescription("Adds delta (non-zero, may be negative) to the stock, with a reason for the audit trail. Stock may not go below 0 nor below what is reserved: 409.");
        return app;
    }

    private static async Task<Ok<PageResponse<InventoryResponse>>> List([AsParameters] PageQuery page, IGrainFactory grains)
    {
        var levels = await grains.GetGrain<IProductCatalogGrain>(0).ListInventoryAsync(page.Request);
        return TypedResults.Ok(PageResponse.From(levels, InventoryResponse.From));
    }

    private static async Task<Ok<InventoryResponse>> Get([Microsoft.AspNetCore.Mvc.FromRoute(Name = "product_id")] long productId, IGrainFactory grains) =>
        TypedResults.Ok(InventoryResponse.From(await grains.GetGrain<IInventoryGrain>(productId).GetAsync()));

    private static async Task<Ok<InventoryResponse>> Adjust(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "product_id")] long productId, AdjustmentRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(InventoryResponse.From(await grains.GetGrain<IInventoryGrain>(productId).AdjustAsync(request.ToAdjustment(user.UserId()))));
}
