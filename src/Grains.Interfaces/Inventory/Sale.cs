namespace Shop;

/// <summary>
/// One buyer's single-product checkout, handed to that product's <see cref="IInventoryGrain"/>, which
/// sells to many buyers in one transaction. Carries everything the order needs except the product.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.SaleRequest")]
public sealed record SaleRequest(
    string UserId,
    long OrderId,
    string RecordKey,
    string Fingerprint,
    int Quantity,
    AddressDetails ShippingAddress,
    AddressDetails BillingAddress,
    string? Notes,
    PaymentMethod PaymentMethod);

public enum SaleStatus
{
    /// <summary>The order was created (or had been, by an earlier attempt with the same key).</summary>
    Sold,

    /// <summary>A business answer: sold out, key reused, too many buyers waiting.</summary>
    Rejected,

    /// <summary>The cart was not what the request said; the caller checks it out the general way.</summary>
    Reroute,
}

[GenerateSerializer, Immutable, Alias("Shop.SaleOutcome")]
public sealed record SaleOutcome(SaleStatus Status, OrderDetails? Order, ShopException? Rejection, bool Replayed)
{
    public static SaleOutcome Sold(OrderDetails order, bool replayed = false) => new(SaleStatus.Sold, order, null, replayed);

    public static SaleOutcome Rejected(ShopException rejection) => new(SaleStatus.Rejected, null, rejection, false);

    public static readonly SaleOutcome Reroute = new(SaleStatus.Reroute, null, null, false);
}
