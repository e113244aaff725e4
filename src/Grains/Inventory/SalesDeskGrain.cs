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
/// order, and builds on the first's tentative stock once the first is prepared.
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
    private bool selling;

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
    /// Then every buyer who got all their lines has their cart and order joined; one outbox append for the
    /// batch.
    /// </summary>
    /// <remarks>
    /// Were the first product the manager (Orleans makes the first participant that writes the manager), that
    /// product's row would carry the commit record naming the batch's couple of hundred participants until
    /// all of them confirmed, and the product is one that other batches write meanwhile. The batch's own
    /// order grain is written by no other batch. Measured in docs/benchmarks.md ("The desk's batch managed
    /// by its order grain").
    /// </remarks>
    private async Task<DeskResult> SellInTransactionAsync(long batch, List<PendingSale> candidates, ConcurrentBag<BuyerFailure> failures)
    {
        var now = DateTime.UtcNow;
        await GrainFactory.GetGrain<IOrderBatchGrain>(batch).OpenAsync();
        var refused = new Dictionary<PendingSale, (long ProductId, Allotment Allotment)>();
        var allotted = new List<(Allotment Allotment, List<PendingSale> Buyers)>();
        foreach (var productId in candidates.SelectMany(c => c.Request.Lines).Select(l => l.ProductId).Distinct().Order())
        {
            var buyers = candidates.Where(c => !refused.ContainsKey(c) && c.Wants(productId) > 0).ToList();
            if (buyers.Count == 0)
            {
                continue;
            }

            var allotment = await AllotAsync(productId, buyers, failures);
            for (var i = 0; i < buyers.Count; i++)
            {
                if (!allotment.Granted.Contains(i))
                {
                    refused[buyers[i]] = (productId, allotment);
                }
            }

            allotted.Add((allotment, buyers));
        }

        var givenBack = new Dictionary<long, int>();
        foreach (var (allotment, buyers) in allotted)
        {
            var productId = allotment.Product.Id;
            var units = buyers.Where((b, i) => refused.ContainsKey(b) && allotment.Granted.Contains(i)).Sum(b => b.Wants(productId));
            if (units > 0)
            {
                await GrainFactory.GetGrain<IInventoryGrain>(productId).RestoreAsync(units);
                givenBack[productId] = units;
            }
        }

        var products = allotted.ToDictionary(a => a.Allotment.Product.Id, a => a.Allotment);
        var stock = products.ToDictionary(p => p.Key, p => p.Value.Before.Stock);
        var sold = new List<(PendingSale Sale, OrderDetails Order)>(candidates.Count);
        var audit = new List<AuditRecord>(candidates.Count * 2);
        foreach (var sale in candidates.Where(c => !refused.ContainsKey(c)))
        {
            var order = SaleSteps.BuildOrder(sale, id => products[id].Product, pricing.Value, now);
            audit.Add(AuditTexts.OrderCreated(order));
            foreach (var item in order.Items.OrderBy(i => i.ProductId))
            {
                stock[item.ProductId] -= item.Quantity;
                var level = new InventoryLevel(item.ProductId, stock[item.ProductId], products[item.ProductId].Before.Reserved);
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
        });
        return new DeskResult([.. allotted.Where(a => !givenBack.ContainsKey(a.Allotment.Product.Id)).Select(a => a.Allotment)], sold, [.. unsold]);
    }

    /// <summary>One product's share; a product that cannot sell (it no longer exists, say) fails its own buyers only.</summary>
    private async Task<Allotment> AllotAsync(long productId, List<PendingSale> buyers, ConcurrentBag<BuyerFailure> failures)
    {
        try
        {
            return await GrainFactory.GetGrain<IInventoryGrain>(productId).AllotAsync([.. buyers.Select(b => b.Wants(productId))]);
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

    private sealed record DeskResult(
        ImmutableArray<Allotment> Allotments,
        List<(PendingSale Sale, OrderDetails Order)> Sold,
        List<(PendingSale Sale, InsufficientStockException Refusal)> Unsold);
}
