using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>The leases one lane holds, by product id.</summary>
[GenerateSerializer, Alias("shop.stock-lane.v1")]
public sealed class StockLaneState
{
    [Id(0)] public Dictionary<long, StockLease> Leases { get; set; } = [];
}

/// <summary>
/// One product's lease: <c>Units</c> it can still sell, <c>Sold</c> since it opened (the product's grain
/// has granted <c>Units + Sold</c>), and the product's exact stock and reserved units, which only this
/// lease changes while it lasts.
/// </summary>
[GenerateSerializer, Alias("shop.stock-lease.v1")]
public sealed class StockLease
{
    [Id(0)] public int Units { get; set; }

    [Id(1)] public int Sold { get; set; }

    [Id(2)] public int Stock { get; set; }

    [Id(3)] public int Reserved { get; set; }
}

/// <summary>
/// A lane of stock leases (<see cref="IStockLaneGrain"/>): one participant in a desk's transaction for
/// all the products it sells from leases, where each product's own grain would be one each.
/// </summary>
public sealed class StockLaneGrain(
    [TransactionalState("stock-lane", ShopStorage.Transactions)] ITransactionalState<StockLaneState> state)
    : Grain, IStockLaneGrain
{
    public Task<ImmutableArray<LaneSaleResult>> SellAsync(ImmutableArray<LaneSale> sales) => state.PerformUpdate(s =>
    {
        var results = ImmutableArray.CreateBuilder<LaneSaleResult>(sales.Length);
        foreach (var sale in sales)
        {
            if (!s.Leases.TryGetValue(sale.ProductId, out var lease))
            {
                if (sale.Opening is not { } opening)
                {
                    // Settled since the desk last sold from it (or never granted): the desk asks the product next.
                    results.Add(new LaneSaleResult(sale.ProductId, [], [], 0, 0));
                    continue;
                }

                lease = new StockLease { Stock = opening.Stock, Reserved = opening.Reserved };
                s.Leases[sale.ProductId] = lease;
            }
            else if (sale.Opening is not null)
            {
                throw new InvalidOperationException($"Product {sale.ProductId} opened a lease that lane {this.GetPrimaryKeyLong()} already holds.");
            }

            lease.Units += sale.Granted;
            var sold = ImmutableArray.CreateBuilder<int>();
            var stockAfter = ImmutableArray.CreateBuilder<int>();
            for (var i = 0; i < sale.Quantities.Length; i++)
            {
                var quantity = sale.Quantities[i];
                if (quantity <= lease.Units)
                {
                    lease.Units -= quantity;
                    lease.Sold += quantity;
                    lease.Stock -= quantity;
                    sold.Add(i);
                    stockAfter.Add(lease.Stock);
                }
            }

            results.Add(new LaneSaleResult(sale.ProductId, sold.ToImmutable(), stockAfter.ToImmutable(), lease.Reserved, lease.Units));
        }

        return results.MoveToImmutable();
    });

    public Task<InventoryLevel?> LevelAsync(long productId) => state.PerformRead(s =>
        s.Leases.TryGetValue(productId, out var lease) ? new InventoryLevel(productId, lease.Stock, lease.Reserved) : null);

    public Task<LeaseReturn?> ReturnAsync(long productId) => state.PerformUpdate(s =>
        s.Leases.Remove(productId, out var lease) ? new LeaseReturn(lease.Units, lease.Sold, lease.Stock) : null);
}
