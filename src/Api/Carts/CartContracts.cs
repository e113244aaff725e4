using Shop.Api.Validation;

namespace Shop.Api.Carts;

public sealed record AddCartItemRequest(long? ProductId, int? Quantity) : IValidatable
{
    public void Validate()
    {
        Require.Present(ProductId, "product_id");
        CartRules.ValidateQuantity(Require.Present(Quantity, "quantity"), allowZero: false);
    }
}

public sealed record SetCartItemRequest(int? Quantity) : IValidatable
{
    public void Validate() => CartRules.ValidateQuantity(Require.Present(Quantity, "quantity"), allowZero: true);
}

public sealed record CartItemResponse(long ProductId, string ProductName, int Quantity, decimal UnitPrice, decimal TotalPrice);

public sealed record CartResponse(IReadOnlyList<CartItemResponse> Items, int TotalItems, decimal Subtotal)
{
    public static CartResponse From(CartView cart) => new(
        [.. cart.Items.Select(i => new CartItemResponse(i.ProductId, i.ProductName, i.Quantity, i.UnitPrice, i.TotalPrice))],
        cart.TotalItems,
        cart.Subtotal);
}
