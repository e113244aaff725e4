using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Diagnostics;

namespace Shop.Grains;

/// <summary>
/// Sells, in one transaction per batch, to buyers of many products that each have one buyer at the
/// moment (a shop with a thousand products busy at once) and to carts of several products: what a
/// product's own grain does for its crowd of buyers, across products. Each buyer's stock, cart and order
/// are in the batch's transaction, with one outbox append for all of them; a buyer the stock cannot
/// cover is told it is sold out once the batch commits, and a buyer whose part fails is left out and
/// the rest sold again without them.
/// </summary>
/// <remarks>
/// One activation per silo (a stateless worker), called by that silo's checkouts (a lone buyer of one
/// product, a cart of several products) and by its inventory grains (an unmarked buyer passed on). Two batches may run at
/// once; when they share products, the second waits for the first's locks product by product, in id
/// order, and builds on the first's tentative stock once the first is prepared. A lone buyer is sold from
/// a stock lease when one covers them (<see cref="IStockLaneGrain"/>): then their product's grain takes
/// no part in the batch's transaction, only the lane does, once for all the products it sells.
/// </remarks>
[StatelessWorker(1)]
[Reentrant]
public sealed partial class SalesDeskGrain(
    TransactionRunner transactions,
    IdGenerator ids,
    IOptions<SalesOptions> sales,
    IOptions<PricingOptions> pricing,
    IOptions<OutboxOptions> outbox,
    ShopMetrics metrics,
    ILogger<SalesDeskGrain> logger) : Grain, ISalesDeskGrain
{
    private readonly List<PendingSale> waiting = [];
    private readonly HashSet<string> usersInFlight = [];
    // The lane this desk opens leases on; any desk sells from any lane's leases.
    private readonly long lane = Random.Shared.Next(sales.Value.StockLanes);
    // What the leases held after this desk's last committed batch that sold from them: a guess (another
    // desk, a settlement may have changed them since), which the lane corrects inside the transaction.
    private readonly Dictionary<long, (long Lane, int Units, DateTime Seen)> leases = [];
    private DateTime nextLapse = DateTime.UtcNow;
    private bool selling;

    /// <summary>A buyer put back this many times (their product's lease in the way each time) is told to retry.</summary>
    private const int MaxDeferrals = 5;

    public Task<SaleOutcome> SellAsync(SaleRequest request)
    {
        if (request.Lines.IsDefaultOrEmpty || request.Lines.Length > CartRules.MaxLines
            || request.Lines.DistinctBy(l => l.ProductId).Count() != request.Lines.Length)
        {
            throw new ValidationException("lines", $"A sale is for 1 to {CartRules.MaxLines} lines of distinct products.");
        }

        foreach (var line in request.Lines)
        {
            CartRules.ValidateQuantity(line.Quantity, allowZero: false);
        }

        if (waiting.Count >= sales.Value.MaxDeskWaiting)
        {
            return Task.FromResult(SaleOutcome.Rejected(TooBusy()));
        }

        var sale = new PendingSale(request, DateTime.UtcNow);
        waiting.Add(sale);
        if (!selling)
        {
            selling = true;
            _ = SellToWaitingAsync();
        }

        return sale.Outcome.Task;
    }

    /// <summary>Batches in arrival order, a bounded number in flight; whoever arrives meanwhile goes in the next.</summary>
    private async Task SellToWaitingAsync()
    {
        var options = sales.Value;
        var running = new List<Task>(options.MaxBatchesInFlight);
        try
        {
            while (waiting.Count > 0 || running.Count > 0)
            {
                while (running.Count < options.MaxBatchesInFlight && waiting.Count > 0)
                {
                    ShedExpired(options);
                    var batch = TakeBatch(options);
                    if (batch.Count == 0)
                    {
                        break;
                    }

                    running.Add(SellBatchAsync(batch));
                }

                // (Never empty here: with no batch running, the first waiting buyer can always go.)
                running.Remove(await Task.WhenAny(running));
            }
        }
        finally
        {
            selling = false;
        }
    }

    /// <summary>The next batch: waiting buyers in arrival order, one checkout per user (<see cref="SaleSteps.TryJoin"/>).</summary>
    private List<PendingSale> TakeBatch(SalesOptions options)
    {
        var batch = new List<PendingSale>(Math.Min(options.MaxBatch, waiting.Count));
        var users = new HashSet<string>();
        foreach (var sale in waiting)
        {
            if (batch.Count == options.MaxBatch)
            {
                break;
            }

            if (SaleSteps.TryJoin(sale, users, usersInFlight))
            {
                batch.Add(sale);
            }
        }

        var taken = batch.ToHashSet();
        waiting.RemoveAll(taken.Contains);
        return batch;
    }

    /// <summary>
    /// Turns away (503, nothing ordered, the cart kept) buyers who waited longer than the limit and that the
    /// next batch cannot take; the front of the queue is always served.
    /// </summary>
    private void ShedExpired(SalesOptions options)
    {
        var now = DateTime.UtcNow;
        for (var i = waiting.Count - 1; i >= options.MaxBatch; i--)
        {
            if (now - waiting[i].Enqueued > options.MaxWait)
            {
                waiting[i].Outcome.TrySetResult(SaleOutcome.Rejected(TooBusy()));
                waiting.RemoveAt(i);
            }
        }
    }

    /// <summary>One transaction for the batch, retried without the buyers whose part could not be done.</summary>
    private async Task SellBatchAsync(List<PendingSale> candidates)
    {
        var users = candidates.Select(c => c.Request.UserId).ToArray();
        usersInFlight.UnionWith(users);
        try
        {
            await SellBatchCoreAsync(candidates);
        }
        finally
        {
            usersInFlight.ExceptWith(users);
        }
    }

    private async Task SellBatchCoreAsync(List<PendingSale> candidates)
    {
        long? batch = null;
        while (candidates.Count > 0)
        {
            DeskResult? attempt = null;
            var failures = new ConcurrentBag<BuyerFailure>();
            try
            {
                batch ??= await SaleSteps.NumberAsync(ids, candidates);
                var started = Stopwatch.GetTimestamp();
                var result = await transactions.RunAsync(
                    "a sales desk batch",
                    async () => attempt = await SellInTransactionAsync(batch.Value, candidates, failures),
                    resolve: () => ResolveAsync(attempt));
                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogBatch(logger, candidates.Count, result.Allotments.Length, result.Sold.Count, milliseconds, waiting.Count);

                foreach (var allotment in result.Allotments)
                {
                    // The product's grain knows its committed stock again (and can answer "sold out" alone).
                    GrainFactory.GetGrain<IInventoryGrain>(allotment.Product.Id).AllotmentCommittedAsync(allotment).Ignore();
                }

                LapseIdleLeases();
                foreach (var (productId, leaseLane, units, soldOut) in result.Leases)
                {
                    leases[productId] = (leaseLane, units, DateTime.UtcNow);
                    if (soldOut)
                    {
                        // The lease sold the product's last units: settled, its grain knows (and posts) that it
                        // is sold out, and later buyers are told so without a transaction.
                        GrainFactory.GetGrain<IInventoryGrain>(productId).SettleLeaseAsync().Ignore();
                    }
                }

                foreach (var (sale, order) in result.Sold)
                {
                    foreach (var item in order.Items)
                    {
                        metrics.UnitsSold(item.ProductId, item.Quantity);
                    }

                    sale.Outcome.TrySetResult(SaleOutcome.Sold(order));
                }

                foreach (var (sale, refusal) in result.Unsold)
                {
                    sale.Outcome.TrySetResult(SaleOutcome.Rejected(refusal));
                }

                await PutBackAsync(result);
                return;
            }
            catch (Exception) when (!failures.IsEmpty)
            {
                await SaleSteps.LeaveOutAsync(GrainFactory, candidates, failures);
            }
            catch (Exception exception)
            {
                // Not one buyer's doing (the service is busy, the outcome could not be settled): all are told.
                candidates.ForEach(c => c.Outcome.TrySetException(exception));
                return;
            }
        }
    }

    /// <summary>
    /// The transaction's body: the batch's order grain joins first, so that it manages the transaction;
    /// then each product's stock taken in one call, products in ascending id order, so that batches sharing
    /// products (carts of several) wait for each other's locks in one order and never in a cycle. A buyer
    /// the stock cannot cover is not asked for on later products, and gives back what earlier ones gave.
    /// A product whose lone buyers a lease covers (as far as this desk knows) is not called at all; the
    /// others are asked for a lease. Then the lanes, in ascending order and after every product (a
    /// settlement takes a product, then its lane: never the other way round), sell from the leases. Then
    /// every buyer who got all their lines has their cart and order joined; one outbox append for the batch.
    /// </summary>
    /// <remarks>
    /// Were the first product the manager (Orleans makes the first participant that writes the manager), that
    /// product's row would carry the commit record naming the batch's couple of hundred participants until
    /// all of them confirmed, and the product is one that other batches write meanwhile. The batch's own
    /// order grain is written by no other batch. Measured in docs/benchmarks-log.md ("The desk's batch managed
    /// by its order grain").
    /// </remarks>
    private async Task<DeskResult> SellInTransactionAsync(long batch, List<PendingSale> candidates, ConcurrentBag<BuyerFailure> failures)
    {
        var now = DateTime.UtcNow;
        var options = sales.Value;
        await GrainFactory.GetGrain<IOrderBatchGrain>(batch).OpenAsync();
        var refused = new Dictionary<PendingSale, (long ProductId, Allotment Allotment)>();
        var deferred = new HashSet<PendingSale>();
        var settle = new HashSet<long>();
        var allotted = new List<(Allotment Allotment, List<PendingSale> Buyers)>();
        var fromLeases = new List<LeasedSale>();
        var catalog = new Dictionary<long, Task<ProductDetails>>();
        foreach (var productId in candidates.SelectMany(c => c.Request.Lines).Select(l => l.ProductId).Distinct().Order())
        {
            var buyers = candidates.Where(c => !refused.ContainsKey(c) && !deferred.Contains(c) && c.Wants(productId) > 0).ToList();
            if (buyers.Count == 0)
            {
                continue;
            }

            // Leases are for lone buyers: a cart of several products is sold from the products' own stock.
            var leasable = options.StockLeases && buyers.TrueForAll(b => b.Request.Lines.Length == 1);
            if (leasable && leases.TryGetValue(productId, out var known) && known.Units >= buyers.Sum(b => b.Wants(productId))
                && now - known.Seen < options.IdleLease)
            {
                fromLeases.Add(new LeasedSale(productId, known.Lane, buyers, Granted: 0, Opening: null, Asked: false));
                catalog[productId] = DetailsAsync(productId, buyers, failures);
                continue;
            }

            var allotment = await AllotAsync(productId, buyers, leasable ? new LeaseRequest(lane, options.LeaseExtra) : null, failures);
            catalog[productId] = Task.FromResult(allotment.Product);
            switch (allotment.Mode)
            {
                case AllotmentMode.Lease:
                    fromLeases.Add(new LeasedSale(productId, allotment.Lane, buyers, allotment.LeaseGranted, allotment.OpensLease ? allotment.Before : null, Asked: true));
                    break;
                case AllotmentMode.Deferred:
                    deferred.UnionWith(buyers);
                    settle.Add(productId);
                    break;
                default:
                    for (var i = 0; i < buyers.Count; i++)
                    {
                        if (!allotment.Granted.Contains(i))
                        {
                            refused[buyers[i]] = (productId, allotment);
                        }
                    }

                    allotted.Add((allotment, buyers));
                    break;
            }
        }

        var givenBack = new Dictionary<long, int>();
        foreach (var (allotment, buyers) in allotted)
        {
            var productId = allotment.Product.Id;
            var units = buyers.Where((b, i) => (refused.ContainsKey(b) || deferred.Contains(b)) && allotment.Granted.Contains(i)).Sum(b => b.Wants(productId));
            if (units > 0)
            {
                await GrainFactory.GetGrain<IInventoryGrain>(productId).GiveBackAsync(units);
                givenBack[productId] = units;
            }
        }

        var products = new Dictionary<long, ProductDetails>();
        foreach (var (productId, details) in catalog)
        {
            products[productId] = await details;
        }

        var (leaseLevels, leaseRefusals, leasesAfter) = await SellFromLeasesAsync(fromLeases, products, deferred);

        var stock = allotted.ToDictionary(a => a.Allotment.Product.Id, a => a.Allotment.Before.Stock);
        var reserved = allotted.ToDictionary(a => a.Allotment.Product.Id, a => a.Allotment.Before.Reserved);
        var sold = new List<(PendingSale Sale, OrderDetails Order)>(candidates.Count);
        var audit = new List<AuditRecord>(candidates.Count * 2);
        foreach (var sale in candidates.Where(c => !refused.ContainsKey(c) && !deferred.Contains(c) && !leaseRefusals.ContainsKey(c)))
        {
            var order = SaleSteps.BuildOrder(sale, id => products[id], pricing.Value, now);
            audit.Add(AuditTexts.OrderCreated(order));
            foreach (var item in order.Items.OrderBy(i => i.ProductId))
            {
                InventoryLevel level;
                if (leaseLevels.TryGetValue(sale, out var leased))
                {
                    level = leased;
                }
                else
                {
                    stock[item.ProductId] -= item.Quantity;
                    level = new InventoryLevel(item.ProductId, stock[item.ProductId], reserved[item.ProductId]);
                }

                audit.Add(AuditTexts.OrderFulfilled(order, item, level));
            }

            sold.Add((sale, order));
        }

        await SaleSteps.EnrolAsync(GrainFactory, batch, sold, audit, failures, outbox.Value);

        var unsold = refused.Select(r =>
        {
            var (sale, (productId, allotment)) = (r.Key, r.Value);
            var available = allotment.After.Available + givenBack.GetValueOrDefault(productId);
            return (sale, new InsufficientStockException(productId, allotment.Product.Name, Math.Max(0, available), sale.Wants(productId)));
        }).Concat(leaseRefusals.Select(r => (r.Key, r.Value)));
        return new DeskResult(
            [.. allotted.Where(a => !givenBack.ContainsKey(a.Allotment.Product.Id)).Select(a => a.Allotment)],
            sold, [.. unsold], [.. candidates.Where(deferred.Contains)], [.. settle], leasesAfter);
    }

    /// <summary>
    /// Each lane once, in ascending order: the units its products granted in this transaction go into their
    /// leases, and their buyers are sold from them. A buyer the lease cannot cover is told it is sold out when
    /// the product was asked in this transaction (its units not leased were all granted), and otherwise put
    /// back for the next batch, which asks the product.
    /// </summary>
    private async Task<(Dictionary<PendingSale, InventoryLevel> Levels, Dictionary<PendingSale, InsufficientStockException> Refusals, List<(long ProductId, long Lane, int Units, bool SoldOut)> After)>
        SellFromLeasesAsync(List<LeasedSale> fromLeases, Dictionary<long, ProductDetails> products, HashSet<PendingSale> deferred)
    {
        var levels = new Dictionary<PendingSale, InventoryLevel>();
        var refusals = new Dictionary<PendingSale, InsufficientStockException>();
        var after = new List<(long, long, int, bool)>();
        foreach (var byLane in fromLeases.GroupBy(f => f.Lane).OrderBy(g => g.Key))
        {
            var inLane = byLane.ToList();
            var results = await GrainFactory.GetGrain<IStockLaneGrain>(byLane.Key).SellAsync(
                [.. inLane.Select(f => new LaneSale(f.ProductId, f.Granted, f.Opening, [.. f.Buyers.Select(b => b.Wants(f.ProductId))]))]);
            foreach (var (leased, result) in inLane.Zip(results))
            {
                var wanted = leased.Buyers.Sum(b => b.Wants(leased.ProductId)) + sales.Value.LeaseExtra;
                after.Add((leased.ProductId, byLane.Key, result.UnitsLeft, leased.Asked && leased.Granted < wanted && result.UnitsLeft == 0));
                for (var i = 0; i < leased.Buyers.Count; i++)
                {
                    var buyer = leased.Buyers[i];
                    var position = result.Sold.IndexOf(i);
                    if (position >= 0)
                    {
                        levels[buyer] = new InventoryLevel(leased.ProductId, result.StockAfter[position], result.Reserved);
                    }
                    else if (leased.Asked)
                    {
                        refusals[buyer] = new InsufficientStockException(
                            leased.ProductId, products[leased.ProductId].Name, result.UnitsLeft, buyer.Wants(leased.ProductId));
                    }
                    else
                    {
                        deferred.Add(buyer);
                    }
                }
            }
        }

        return (levels, refusals, after);
    }

    /// <summary>Forgets leases not sold from for as long as their lanes keep them (every so often, not per batch).</summary>
    private void LapseIdleLeases()
    {
        var now = DateTime.UtcNow;
        if (now < nextLapse)
        {
            return;
        }

        var idle = sales.Value.IdleLease;
        nextLapse = now + idle;
        foreach (var productId in leases.Where(l => now - l.Value.Seen >= idle).Select(l => l.Key).ToList())
        {
            leases.Remove(productId);
        }
    }

    /// <summary>
    /// After a commit: the products whose leases kept buyers out are settled, and those buyers go back to the
    /// front of the queue, in their order (a buyer put back too often is told to retry instead).
    /// </summary>
    private async Task PutBackAsync(DeskResult result)
    {
        if (result.Deferred.Count == 0)
        {
            return;
        }

        foreach (var productId in result.Deferred.SelectMany(d => d.Request.Lines).Select(l => l.ProductId).Distinct())
        {
            leases.Remove(productId);
        }

        await Task.WhenAll(result.Settle.Select(async productId =>
        {
            try
            {
                await GrainFactory.GetGrain<IInventoryGrain>(productId).SettleLeaseAsync();
            }
            catch (Exception exception)
            {
                // The product's next operation settles it; the buyers are put back either way.
                LogSettleFailed(logger, exception, productId);
            }
        }));

        var back = new List<PendingSale>(result.Deferred.Count);
        foreach (var sale in result.Deferred)
        {
            if (++sale.Deferrals > MaxDeferrals)
            {
                sale.Outcome.TrySetResult(SaleOutcome.Rejected(TooBusy()));
            }
            else
            {
                back.Add(sale);
            }
        }

        waiting.InsertRange(0, back);
    }

    /// <summary>The catalog data of a product sold from a lease (its grain, which would have given it, is not called).</summary>
    private async Task<ProductDetails> DetailsAsync(long productId, List<PendingSale> buyers, ConcurrentBag<BuyerFailure> failures)
    {
        try
        {
            return await GrainFactory.GetGrain<IProductGrain>(productId).GetAsync();
        }
        catch (ShopException exception)
        {
            buyers.ForEach(b => failures.Add(new BuyerFailure(b.Request.UserId, exception)));
            throw new BatchBuyerFailures([.. failures]);
        }
    }

    /// <summary>One product's share; a product that cannot sell (it no longer exists, say) fails its own buyers only.</summary>
    private async Task<Allotment> AllotAsync(long productId, List<PendingSale> buyers, LeaseRequest? lease, ConcurrentBag<BuyerFailure> failures)
    {
        try
        {
            return await GrainFactory.GetGrain<IInventoryGrain>(productId).AllotAsync([.. buyers.Select(b => b.Wants(productId))], lease);
        }
        catch (ShopException exception)
        {
            buyers.ForEach(b => failures.Add(new BuyerFailure(b.Request.UserId, exception)));
            throw new BatchBuyerFailures([.. failures]);
        }
    }

    /// <summary>An in-doubt batch committed if its first buyer's idempotency record names that buyer's order.</summary>
    private async Task<DeskResult?> ResolveAsync(DeskResult? attempt) => attempt switch
    {
        null => null,
        { Sold: [] } => attempt,
        { Sold: [var (sale, order), ..] } => await SaleSteps.CommittedAsync(GrainFactory, sale.Request, order.Id) ? attempt : null,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sales desk: batch of {Candidates} buyers of {Products} products sold {Sold} in {Milliseconds:F0} ms; {Waiting} waiting")]
    private static partial void LogBatch(ILogger logger, int candidates, int products, int sold, double milliseconds, int waiting);

    private static ServiceUnavailableException TooBusy() =>
        new("Too many buyers are waiting right now. Nothing was ordered; please try again.");

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sales desk: settling the stock lease of product {ProductId} failed; its next operation settles it")]
    private static partial void LogSettleFailed(ILogger logger, Exception exception, long productId);

    private sealed record DeskResult(
        ImmutableArray<Allotment> Allotments,
        List<(PendingSale Sale, OrderDetails Order)> Sold,
        List<(PendingSale Sale, InsufficientStockException Refusal)> Unsold,
        List<PendingSale> Deferred,
        List<long> Settle,
        List<(long ProductId, long Lane, int Units, bool SoldOut)> Leases);

    /// <summary>A product's buyers in this batch sold from the lease <c>Lane</c> holds; <c>Asked</c>: the product granted in this transaction.</summary>
    private sealed record LeasedSale(long ProductId, long Lane, List<PendingSale> Buyers, int Granted, InventoryLevel? Opening, bool Asked);
}
