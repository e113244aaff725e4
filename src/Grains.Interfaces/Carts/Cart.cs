using System.Collections.Immutable;

namespace Shop;

/// <summary>A cart line as stored: which product and how many.</summary>
[GenerateSerializer, Immutable, Alias("Shop.CartLine")]
public sealed record CartLine(long ProductId, int Quantity);

/// <summary>
/// What a checkout starts from: the cart's committed lines, the checkout already recorded under the
/// request's key if it has one (a repeated request, answered with that order whatever the cart holds now),
/// and the addresses the order ships and bills to.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.CheckoutStart")]
public sealed record CheckoutStart(ImmutableArray<CartLine> Lines, CheckoutRecord? Earlier, AddressDetails Shipping, AddressDetails Billing);

/// <summary>A cart line priced at the current catalog price.</summary>
[GenerateSerializer, Immutable, Alias("Shop.CartItemView")]
public sealed record CartItemView(long ProductId, string ProductName, int Quantity, decimal UnitPrice)
{
    public decimal TotalPrice => UnitPrice * Quantity;
}

[GenerateSerializer, Immutable, Alias("Shop.CartView")]
public sealed record CartView(ImmutableArray<CartItemView> Items)
{
    public static readonly CartView Empty = new([]);

    public int TotalItems => Items.Sum(i => i.Quantity);

    public decimal Subtotal => Items.Sum(i => i.TotalPrice);
}

public static class CartRules
{
    public const int MaxLineQuantity = 1000;

    public const int MaxLines = 100;

    public static void ValidateQuantity(int quantity, bool allowZero)
    {
        if (quantity < (allowZero ? 0 : 1) || quantity > MaxLineQuantity)
        {
            throw new ValidationException("quantity", $"quantity must be between {(allowZero ? 0 : 1)} and {MaxLineQuantity}.");
        }
    }
}
