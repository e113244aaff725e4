using Shop.Grains;

namespace Shop.Tests;

/// <summary>What the lanes of stock leases hold, read from outside the silos.</summary>
public static class StockLanes
{
    /// <summary>
    /// How many leases of <paramref name="products"/> the lanes hold (a product is leased to one lane at a
    /// time): each lane read in a transaction of its own, tried again when a sale's writes broke its read locks.
    /// </summary>
    public static async Task<int> LeasesOfAsync(IGrainFactory grains, ITransactionClient transactions, IReadOnlyCollection<long> products)
    {
        var leases = 0;
        for (var lane = 0; lane < new SalesOptions().StockLanes; lane++)
        {
            var stockLane = grains.GetGrain<IStockLaneGrain>(lane);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    var levels = Array.Empty<InventoryLevel?>();
                    await transactions.RunTransaction(TransactionOption.Create, async () =>
                        levels = await Task.WhenAll(products.Select(stockLane.LevelAsync)));
                    leases += levels.Count(level => level is not null);
                    break;
                }
                catch (Orleans.Transactions.OrleansTransactionException) when (attempt < 10)
                {
                }
            }
        }

        return leases;
    }
}
