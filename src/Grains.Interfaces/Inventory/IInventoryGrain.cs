namespace Shop;

/// <summary>
/// One product's stock, held in transactional state so that a checkout's stock change commits or aborts
/// together with its order. Keyed by product id. Every write is a single <c>PerformUpdate</c> that checks
/// and changes the stock at once: reading first and writing later in the same transaction stalls a hot
/// product under contention.
/// </summary>
[Alias("Shop.IInventoryGrain")]
public interface IInventoryGrain : IGrainWithIntegerKey
{
    /// <summary>Sets the initial stock of a new product; does nothing when already initialized.</summary>
    [Transaction(TransactionOption.CreateOrJoin)]
    Task InitializeAsync(int stock);

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
    Task<InventoryLevel> SellAsync(int quantity, string productName);

    /// <summary>Puts sold units back into stock (a cancelled order).</summary>
    [Transaction(TransactionOption.Join)]
    Task<InventoryLevel> RestoreAsync(int quantity);

    /// <summary>A manual correction, committed in its own transaction together with its audit entry.</summary>
    /// <exception cref="ConflictException">Stock would go below 0 or below what is reserved.</exception>
    Task<InventoryLevel> AdjustAsync(StockAdjustment adjustment);
}
