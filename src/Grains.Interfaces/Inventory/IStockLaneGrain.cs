using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// Units of many products that sales desks hold in advance (stock leases), so that a desk's batch sells a
/// lone buyer without the product's <see cref="IInventoryGrain"/> taking part in its transaction. A product
/// grants its units to one lane at a time (<see cref="IInventoryGrain.AllotAsync"/> with a
/// <see cref="LeaseRequest"/>); the lane then knows the product's exact stock while the lease lasts, and
/// every other operation on the product first settles the lease (<see cref="ReturnAsync"/>). Keyed by a
/// lane number; a silo's desk uses one lane, and any desk may sell from any lane. See docs/stock-leases.md.
/// </summary>
[Alias("Shop.IStockLaneGrain")]
public interface IStockLaneGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Adds what each product granted in this transaction to its lease, then sells each product's buyers from
    /// the lease in order, as far as it covers them.
    /// </summary>
    [Transaction(TransactionOption.Join)]
    Task<ImmutableArray<LaneSaleResult>> SellAsync(ImmutableArray<LaneSale> products);

    /// <summary>The product's exact stock and reserved units while this lane holds its lease; null when it holds none.</summary>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel?> LevelAsync(long productId);

    /// <summary>Ends the product's lease: what it sold and what it still held, for the product to take back.</summary>
    [Transaction(TransactionOption.Join)]
    Task<LeaseReturn?> ReturnAsync(long productId);
}

/// <summary>
/// One product's buyers in a desk's batch, sold from a lease: <c>Granted</c> units the product added to the
/// lease in the same transaction, <c>Opening</c> the product's stock when this grant opened the lease (null
/// for a lease already open), and each buyer's quantity, in arrival order.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.LaneSale")]
public sealed record LaneSale(long ProductId, int Granted, InventoryLevel? Opening, ImmutableArray<int> Quantities);

/// <summary>
/// What a lease sold: the positions (into <see cref="LaneSale.Quantities"/>) of the buyers it covered, the
/// product's stock after each of those sales, the product's reserved units, and the units the lease still holds.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.LaneSaleResult")]
public sealed record LaneSaleResult(long ProductId, ImmutableArray<int> Sold, ImmutableArray<int> StockAfter, int Reserved, int UnitsLeft);

/// <summary>A lease ended: the units it still held, the units it sold, and the product's stock after those sales.</summary>
[GenerateSerializer, Immutable, Alias("Shop.LeaseReturn")]
public sealed record LeaseReturn(int Units, int Sold, int Stock);

/// <summary>A desk asking a product for a lease on <c>Lane</c>: its buyers' units plus <c>Extra</c> for the buyers to come.</summary>
[GenerateSerializer, Immutable, Alias("Shop.LeaseRequest")]
public sealed record LeaseRequest(long Lane, int Extra);
