using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// One product's stock, held in transactional state so that a checkout's stock change commits or aborts
/// together with its order. Keyed by product id. Every write is a single <c>PerformUpdate</c> that checks
/// and changes the stock at once: reading first and writing later in the same transaction stalls a hot
/// product under contention. The transactional methods are for checkouts of several products and for
/// cancellations, which join a transaction run elsewhere; <see cref="SellAsync"/> is the hot path.
/// </summary>
[Alias("Shop.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the initial stock of a new product; does nothing when already initialized.</summary>
    [Transaction(TransactionOption.CreateOrJoin)]
    Task InitializeAsync(int stock);

    /// <summary>
    /// The stock; while a desk holds a lease of the product, as the lease knows it (the lease's lane is read
    /// after the product, so in a transaction of several products call this last, or outside one).
    /// </summary>
    /// <exception cref="NotFoundException">No product has this id.</exception>
    [Transaction(TransactionOption.CreateOrJoin), ReadOnly]
    Task<InventoryLevel> GetAsync();

    /// <summary>Moves <paramref name="quantity"/> units from available to reserved.</summary>
    /// <exception cref="InsufficientStockException">Fewer than <paramref name="quantity"/> units are available.</exception>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> ReserveAsync(int quantity, string productName);

    /// <summary>Ships reserved units: stock and reserved both go down by <paramref name="quantity"/>.</summary>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> FulfilAsync(int quantity);

    /// <summary>Gives reserved units back to available without selling them.</summary>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> ReleaseAsync(int quantity);

    /// <summary>Reserves and fulfils in one update: the check and the change of a checkout line.</summary>
    /// <exception cref="InsufficientStockException">Fewer than <paramref name="quantity"/> units are available.</exception>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> ReserveAndFulfilAsync(int quantity, string productName);

    /// <summary>Puts sold units back into stock (a cancelled order).</summary>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> RestoreAsync(int quantity);

    /// <summary>
    /// Sells to one buyer whose cart holds this product only. Concurrent buyers are combined into one
    /// transaction per batch, with this grain as its transaction manager: one inventory write per batch,
    /// every buyer's cart, order, order list and idempotency record in the same ACID unit. Checkouts send
    /// a crowd's buyers here (<see cref="SaleRequest.InCrowd"/>) and a lone buyer to their silo's
    /// <see cref="ISalesDeskGrain"/>; an unmarked buyer is passed on to the desk unless a batch of this
    /// product runs or has buyers waiting. When the
    /// committed stock cannot cover the request, the answer (sold out) comes without a transaction.
    /// </summary>
    Task<SaleOutcome> SellAsync(SaleRequest request);

    /// <summary>
    /// A sales desk's share of this product in its batch: each requested quantity is given, in order,
    /// while the stock covers it; those that do not fit are not taken (those buyers are told it is sold
    /// out once the desk's transaction commits). One update, so the stock is locked once per batch.
    /// With <paramref name="lease"/>, the units go into a stock lease instead (one lane holds a product's
    /// lease; <see cref="IStockLaneGrain"/>), plus some for the buyers to come, unless this grain is selling
    /// a crowd or an operation of its own is waiting, in which case it gives as without one.
    /// </summary>
    [Transaction(TransactionOption.Join)]
    Task<Allotment> AllotAsync(ImmutableArray<int> quantities, LeaseRequest? lease = null);

    /// <summary>Units that a desk's batch took in <see cref="AllotAsync"/> and gives back in the same transaction.</summary>
    [Transaction(TransactionOption.Join)]
    Task GiveBackAsync(int units);

    /// <summary>
    /// Ends this product's stock lease, if it has one, in a transaction of its own: the units the lease sold
    /// leave the stock, the rest come back. Every other operation does this first by itself; a desk calls it
    /// for buyers it could not sell while the lease was held.
    /// </summary>
    Task SettleLeaseAsync();

    /// <summary>The desk's transaction that took <paramref name="allotment"/> committed: the stock is known again.</summary>
    [OneWay]
    Task AllotmentCommittedAsync(Allotment allotment);

    /// <summary>The catalog data of this product changed; later sales snapshot the new data.</summary>
    [OneWay]
    Task ProductChangedAsync();

    /// <summary>A manual correction, committed in its own transaction together with its audit entry.</summary>
    /// <exception cref="ConflictException">Stock would go below 0 or below what is reserved.</exception>
    Task<InventoryLevel> AdjustAsync(StockAdjustment adjustment);
}
