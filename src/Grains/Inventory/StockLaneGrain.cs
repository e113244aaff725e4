using System.Collections.Immutable;
using Microsoft.Extensions.Options;

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
/// all the products it sells from leases, where each product's own grain would be one each. Its record is
/// written whole by every batch that sells from it, so leases nobody sold from for
/// <see cref="SalesOptions.IdleLease"/> are handed back to their products (each settles its own).
/// </summary>
public sealed class StockLaneGrain(
    [TransactionalState("stock-lane", ShopStorage.Transactions)] ITransactionalState<StockLaneState> state,
    TransactionRunner transactions,
    IOptions<SalesOptions> sales)
    : Grain, IStockLaneGrain, IDeactivationAware, IDisposable
{
    /// <summary>Settlements asked for per look: a lane idle for long hands its leases back over a few looks.</summary>
    private const int MaxReturnsPerLook = 256;

    // The products sold from (or granted to) since the last look. Kept in memory, not in the record, which
    // every batch writes whole: a lease not in it when the lane looks has been idle a whole period at least
    // (an activation's first look comes a period after it starts).
    private HashSet<long> used = [];

    // Signalled when deactivation begins: a look then makes no further attempt (as an outbox lane's: its read
    // can wait behind transactions whose managers are deactivating too, and Orleans holds the deactivation
    // until the look ends).
    private readonly CancellationTokenSource deactivating = new();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DeactivationNotices.Watch();
        var idle = sales.Value.IdleLease;
        this.RegisterGrainTimer(ReturnIdleLeasesAsync, new GrainTimerCreationOptions(idle, idle) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task<ImmutableArray<LaneSaleResult>> SellAsync(ImmutableArray<LaneSale> products) => state.PerformUpdate(s =>
    {
        var results = ImmutableArray.CreateBuilder<LaneSaleResult>(products.Length);
        foreach (var sale in products)
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
            used.Add(sale.ProductId);
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

    public void OnDeactivating(DeactivationReason reason) => deactivating.Cancel();

    /// <summary>Orleans disposes a grain after its deactivation.</summary>
    public void Dispose() => deactivating.Dispose();

    public Task<InventoryLevel?> LevelAsync(long productId) => state.PerformRead(s =>
        s.Leases.TryGetValue(productId, out var lease) ? new InventoryLevel(productId, lease.Stock, lease.Reserved) : null);

    public Task<LeaseReturn?> ReturnAsync(long productId) => state.PerformUpdate(s =>
        s.Leases.Remove(productId, out var lease) ? new LeaseReturn(lease.Units, lease.Sold, lease.Stock) : null);

    /// <summary>
    /// Asks the products of leases idle since the last look to settle them. Not awaited: a settlement calls
    /// this lane (after its product), and the look need not wait for it; one that fails is asked again later.
    /// </summary>
    private async Task ReturnIdleLeasesAsync(CancellationToken cancellation)
    {
        var recent = used;
        used = [];
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(cancellation, deactivating.Token);
        var idle = await transactions.RunAsync("looking for idle stock leases", () => state.PerformRead(s =>
            s.Leases.Keys.Where(productId => !recent.Contains(productId)).Take(MaxReturnsPerLook).ToList()), giveUp.Token);
        foreach (var productId in idle)
        {
            GrainFactory.GetGrain<IInventoryGrain>(productId).SettleLeaseAsync().Ignore();
        }
    }
}
