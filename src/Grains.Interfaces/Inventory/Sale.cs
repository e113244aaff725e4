using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// One buyer's checkout of the lines their cart holds, sold in a batch with other buyers: by the product's
/// <see cref="IInventoryGrain"/> (a cart of that product only) or by a <see cref="ISalesDeskGrain"/>.
/// Carries everything the order needs except the products' catalog data and its id (a batch numbers its
/// orders from one range of ids). <c>InCrowd</c>: the checkout saw a crowd of this product's buyers on
/// its silo, so the product's grain sells it in a batch of its own instead of handing it to the desk.
/// <c>Attempt</c>: which attempt of the buyer's request this is (the cart refuses a superseded one).
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.SaleRequest")]
public sealed record SaleRequest(
    string UserId,
    string RecordKey,
    string Fingerprint,
    ImmutableArray<CartLine> Lines,
    AddressDetails ShippingAddress,
    AddressDetails BillingAddress,
    string? Notes,
    PaymentMethod PaymentMethod,
    bool InCrowd = false,
    CheckoutAttempt? Attempt = null)
{
    /// <summary>The units of a single-product sale's one line.</summary>
    public int Quantity => Lines[0].Quantity;

    /// <summary>Whether the cart must hold exactly these lines (in any order) for the sale to go through.</summary>
    public bool Matches(ImmutableArray<CartLine> cart) =>
        cart.Length == Lines.Length && cart.All(line => Lines.Contains(line));
}

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

/// <summary>
/// What a product's inventory grain gave a sales desk's batch. <see cref="AllotmentMode.Direct"/>: the units of
/// the requests that fitted, in arrival order, taken in the desk's transaction; positions index the
/// quantities the desk asked for. <see cref="AllotmentMode.Lease"/>: <c>LeaseGranted</c> units added to the
/// lease that <c>Lane</c> holds (the lane sells the buyers); <c>Before</c> opens the lease when
/// <c>OpensLease</c>. <see cref="AllotmentMode.Deferred"/>: nothing taken, the product's units are leased
/// and these buyers wait for the lease to be settled. <c>WriteOrder</c> and <c>ForeignWritesSeen</c> are the
/// grain's own bookkeeping, handed back with <see cref="IInventoryGrain.AllotmentCommittedAsync"/> so it can
/// tell whether the stock after is still the committed one.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.Allotment")]
public sealed record Allotment(
    ProductDetails Product,
    InventoryLevel Before,
    InventoryLevel After,
    ImmutableArray<int> Granted,
    long WriteOrder,
    long ForeignWritesSeen,
    AllotmentMode Mode = AllotmentMode.Direct,
    long Lane = 0,
    int LeaseGranted = 0,
    bool OpensLease = false);

public enum AllotmentMode
{
    Direct,
    Lease,
    Deferred,
}
