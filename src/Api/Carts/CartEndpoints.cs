using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Carts;

public static class CartEndpoints
{
    public static IEndpointRouteBuilder MapCart(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/cart").WithTags("Cart").WithValidation().RequireAuthorization()
            .WithDescription("Always the caller's own cart. Prices are the current catalog prices; an order snapshots them at checkout.");
        group.MapGet("/", Get).WithSummary("Get my cart");
        group.MapPost("/items", Add)
            .WithSummary("Add to my cart")
            .WithDescription("Adds quantity (1..1000) to the product's line; a line holds at most 1000 units and a cart at most 100 products. Stock is checked at checkout, not here.");
        group.MapPut("/items/{product_id}", Set)
            .WithSummary("Set a line's quantity")
            .WithDescription("Sets the line to quantity (0..1000); 0 removes the line. A product not yet in the cart is added.");
        group.MapDelete("/items/{product_id}", Remove).WithSummary("Remove a line").WithDescription("Removing a product that is not in the cart changes nothing.");
        group.MapDelete("/", Clear).WithSummary("Empty my cart");
        return app;
    }

    private static async Task<Ok<CartResponse>> Get(ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(CartResponse.From(await Cart(user, grains).GetAsync()));

    private static async Task<Ok<CartResponse>> Add(AddCartItemRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(CartResponse.From(await Cart(user, grains).AddItemAsync(request.ProductId!.Value, request.Quantity!.Value)));

    private static async Task<Ok<CartResponse>> Set([FromRoute(Name = "product_id")] long productId, SetCartItemRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(CartResponse.From(await Cart(user, grains).SetQuantityAsync(productId, request.Quantity!.Value)));

    private static async Task<Ok<CartResponse>> Remove([FromRoute(Name = "product_id")] long productId, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(CartResponse.From(await Cart(user, grains).RemoveItemAsync(productId)));

    private static async Task<NoContent> Clear(ClaimsPrincipal user, IGrainFactory grains)
    {
        await Cart(user, grains).ClearAsync();
        return TypedResults.NoContent();
    }

    private static ICartGrain Cart(ClaimsPrincipal user, IGrainFactory grains) => grains.GetGrain<ICartGrain>(user.UserId());
}
