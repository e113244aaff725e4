using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Shop.Diagnostics;

namespace Shop.Grains;

/// <summary>
/// Deliberately two integers: Orleans rewrites the whole transactional record, with a copy per pending
/// transaction, on every commit, so history (the audit trail) lives in the outbox, not here.
/// </summary>
[GenerateSerializer, Alias("shop.inventory.v1")]
public sealed class InventoryState
{
    [Id(0)] public int Stock { get; set; }

    [Id(1)] public int Reserved { get; set; }

    [Id(2)] public bool Initialized { get; set; }

    /// <summary>
    /// Units granted to the stock lease that <see cref="LeaseLane"/> holds (sold or not: they leave
    /// <see cref="Stock"/> when the lease is settled). Not for this grain to sell: its own sales take
    /// <c>Stock - Reserved - Leased</c> at most.
    /// </summary>
    [Id(3)] public int Leased { get; set; }

    [Id(4)] public long LeaseLane { get; set; }
}

/// <summary>
/// A product's stock, and the coordinator of its single-product sales: a crowd of buyers is sold here in
/// batches, a lone buyer is handed to the silo's <see cref="SalesDeskGrain"/>. Reentrant: buyers keep
/// arriving (and queue) while a batch's transaction runs; the transactional state serializes the writes.
/// </summary>
/// <remarks>
/// <para>
/// A desk may hold some of the product's units in a stock lease (<see cref="IStockLaneGrain"/>); while it
/// does, only the lease knows the exact stock, so every other operation here (a crowd's batch, a checkout
/// or a cancellation joining its transaction, an adjustment, a read) first settles the lease in a
/// transaction of its own, and no lease is granted while one of them is on its way (docs/stock-leases.md).
/// </para>
/// The grain knows the committed stock whenever the last write to it was one of its own batches (it ran
/// that transaction and saw it commit) or a desk's allotment whose commit the desk reported. Writes that
/// other transactions make (cancellations, adjustments, checkouts outside a batch) are counted, and until
/// the next batch the stock is unknown. Only a known stock answers "sold out" without a transaction, so
/// every answer is exact. A lease granted makes it unknown too.
/// </remarks>
[Reentrant]
public sealed partial class InventoryGrain(
    [TransactionalState("inventory", ShopStorage.Transactions)] ITransactionalState<InventoryState> state,
    TransactionRunner transactions,
    IdGenerator ids,
    IOptions<SalesOptions> sales,
    IOptions<PricingOptions> pricing,
    IOptions<OutboxOptions> outbox,
    SoldOutBoard board,
    ProductTraffic traffic,
    ShopMetrics metrics,
    ILogger<InventoryGrain> logger) : Grain, IInventoryGrain, IDeactivationAware, IDisposable
{
    private readonly List<PendingSale> waiting = [];
    // Signalled when Orleans begins deactivating this grain (see OnDeactivating).
    private readonly CancellationTokenSource deactivating = new();
    private bool selling;
    private int batchesInFlight;
    private int unitsInFlight;
    private readonly HashSet<string> usersInFlight = [];
    private long foreignWrites;
    private (InventoryLevel Level, long ForeignWrites, long Order)? known;
    private long updates;
    private (ProductDetails Product, DateTime LoadedAt)? product;
    // Whether a lease may be outstanding: set (tentatively) by every grant and on activation, cleared by a
    // settlement that saw no grant meanwhile. An overestimate costs one needless check, never an inexact answer.
    private bool leaseMaybe = true;
    private long grants;
    // Operations that settle first and are on their way to the stock's lock: no lease is granted meanwhile.
    private int foreignPending;

    private long ProductId => this.GetPrimaryKeyLong();

    /// <summary>The committed stock, when no other transaction has written since a batch established it.</summary>
    private InventoryLevel? KnownLevel => known is { } k && k.ForeignWrites == foreignWrites ? k.Level : null;

    public Task InitializeAsync(int stock)
    {
        if (stock is < 0 or > InventoryRules.MaxStock)
        {
            throw new ValidationException("initial_stock", $"initial_stock must be between 0 and {InventoryRules.MaxStock}.");
        }

        return state.PerformUpdate(s =>
        {
            foreignWrites++;
            board.TakeDown(ProductId);
            if (!s.Initialized)
            {
                s.Stock = stock;
                s.Initialized = true;
            }
        });
    }

    public async Task<InventoryLevel> GetAsync()
    {
        var (level, leasedTo) = await state.PerformRead(s =>
            s.Initialized ? (Level(s), s.Leased > 0 ? s.LeaseLane : (long?)null) : throw new NotFoundException("Product", ProductId));
        if (leasedTo is not { } lane)
        {
            return level;
        }

        // Read through, not settled: a page of products looked at during a sale would end every lease on it.
        return await GrainFactory.GetGrain<IStockLaneGrain>(lane).LevelAsync(ProductId)
            ?? throw new InvalidOperationException($"Product {ProductId} is leased to lane {lane}, which holds no lease of it.");
    }

    public Task<InventoryLevel> ReserveAsync(int quantity, string productName)
    {
        InventoryRules.ValidateQuantity(quantity);
        return ForeignUpdate(s =>
        {
            EnsureAvailable(s, quantity, productName);
            s.Reserved += quantity;
        });
    }

    public Task<InventoryLevel> FulfilAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return ForeignUpdate(s =>
        {
            if (quantity > s.Reserved)
            {
                throw new ConflictException($"Cannot fulfil {quantity} units of product {ProductId}: only {s.Reserved} are reserved.");
            }

            s.Reserved -= quantity;
            s.Stock -= quantity;
        });
    }

    public Task<InventoryLevel> ReleaseAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return ForeignUpdate(s =>
        {
            if (quantity > s.Reserved)
            {
                throw new ConflictException($"Cannot release {quantity} units of product {ProductId}: only {s.Reserved} are reserved.");
            }

            s.Reserved -= quantity;
        });
    }

    public Task<InventoryLevel> ReserveAndFulfilAsync(int quantity, string productName)
    {
        InventoryRules.ValidateQuantity(quantity);
        // Check, reserve and fulfil in one update: the net effect is stock going down by the quantity.
        return ForeignUpdate(s =>
        {
            EnsureAvailable(s, quantity, productName);
            s.Stock -= quantity;
        });
    }

    public Task<InventoryLevel> RestoreAsync(int quantity)
    {
        InventoryRules.ValidateQuantity(quantity);
        return ForeignUpdate(s =>
        {
            if (s.Stock > InventoryRules.MaxStock - quantity)
            {
                throw new ConflictException($"Restoring {quantity} units would take the stock of product {ProductId} above {InventoryRules.MaxStock}.");
            }

            s.Stock += quantity;
        });
    }

    public async Task<InventoryLevel> AdjustAsync(StockAdjustment adjustment)
    {
        InventoryRules.Validate(adjustment);
        await EnsureProductExistsAsync();
        return await transactions.RunAsync("a stock adjustment", async () =>
        {
            var level = await ForeignUpdate(s =>
            {
                var stock = (long)s.Stock + adjustment.Delta;
                if (stock < 0 || stock < s.Reserved)
                {
                    throw new ConflictException(
                        $"Cannot adjust stock by {adjustment.Delta}: stock would be {stock}, below 0 or below the {s.Reserved} units reserved.");
                }

                if (stock > InventoryRules.MaxStock)
                {
                    throw new ConflictException($"Cannot adjust stock by {adjustment.Delta}: stock would exceed {InventoryRules.MaxStock}.");
                }

                s.Stock = (int)stock;
            });
            var record = AuditTexts.StockAdjusted(ProductId, adjustment, level, DateTime.UtcNow);
            await GrainFactory.GetGrain<IOutboxGrain>(outbox.Value.PickLane()).AppendAsync(new OutboxBatch([record], []));
            return level;
        });
    }

    public Task ProductChangedAsync()
    {
        product = null;
        board.TakeDown(ProductId);
        return Task.CompletedTask;
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DeactivationNotices.Watch();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Deactivation began (Orleans' transactional state asks for it after repeated storage failures, the
    /// silo is shutting down, or the grain was idle).
    /// Orleans now holds every message to this grain until all its running requests have ended, and those
    /// include the waiting buyers' and the two-phase-commit messages that the running batches need: the
    /// batches could only end by timing out, one attempt after another, each holding every buyer behind
    /// them (a minute and more after a short PostgreSQL outage). So the waiting buyers are told now that
    /// nothing was ordered, and the running batches make no further attempt once the current one ends.
    /// </summary>
    public void OnDeactivating(DeactivationReason reason)
    {
        if (waiting.Count > 0 || batchesInFlight > 0)
        {
            // Not an idle grain collected: buyers are affected.
            LogDeactivating(logger, ProductId, waiting.Count, batchesInFlight, reason.Description);
        }

        deactivating.Cancel();
        board.TakeDown(ProductId);
        traffic.SellingEnded(ProductId, this);
        foreach (var sale in waiting)
        {
            sale.Outcome.TrySetResult(SaleOutcome.Rejected(Unavailable()));
        }

        waiting.Clear();
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        board.TakeDown(ProductId);
        return Task.CompletedTask;
    }

    /// <summary>Orleans disposes a grain after its deactivation; no batch starts after it began.</summary>
    public void Dispose() => deactivating.Dispose();

    public Task<SaleOutcome> SellAsync(SaleRequest request)
    {
        if (request.Lines is not [var line] || line.ProductId != ProductId)
        {
            throw new ValidationException("lines", $"A sale of product {ProductId} is for one line of that product.");
        }

        CartRules.ValidateQuantity(request.Quantity, allowZero: false);
        if (!selling && product is not null && KnownLevel is { } level && level.Available < request.Quantity)
        {
            // Sold out, by the committed stock: no transaction, no queue.
            return Task.FromResult(SaleOutcome.Rejected(InsufficientStock(level.Available, request.Quantity)));
        }

        if (waiting.Count >= sales.Value.MaxWaiting)
        {
            return Task.FromResult(SaleOutcome.Rejected(TooBusy()));
        }

        if (deactivating.IsCancellationRequested)
        {
            return Task.FromResult(SaleOutcome.Rejected(Unavailable()));
        }

        if (!request.InCrowd && !selling && waiting.Count == 0 && sales.Value.SalesDesk)
        {
            // Nobody judged this buyer part of a crowd (checkouts do, see ProductTraffic; an older silo's did
            // not) and no batch of ours runs: the silo's desk sells it along with other products (a
            // transaction of one or two buyers here would cost several times a desk buyer).
            return GrainFactory.GetGrain<ISalesDeskGrain>(0).SellAsync(request);
        }

        var sale = new PendingSale(request, DateTime.UtcNow);
        waiting.Add(sale);
        if (!selling)
        {
            selling = true;
            traffic.SellingStarted(ProductId, this);
            _ = SellToWaitingAsync();
        }

        return sale.Outcome.Task;
    }

    public async Task<Allotment> AllotAsync(ImmutableArray<int> quantities, LeaseRequest? lease = null)
    {
        foreach (var quantity in quantities)
        {
            CartRules.ValidateQuantity(quantity, allowZero: false);
        }

        var details = await GetProductAsync();
        return await state.PerformUpdate(s =>
        {
            var before = Level(s);
            // A crowd's batches and operations that settled first need the stock as it is: no lease meanwhile.
            var opens = s.Leased == 0;
            if (lease is not null && !selling && foreignPending == 0 && TryGrant(s, quantities, lease) is { } grant)
            {
                return new Allotment(details, before, Level(s), [], ++updates, foreignWrites, AllotmentMode.Lease, s.LeaseLane, grant, opens);
            }

            if (s.Leased > 0)
            {
                // Its stock is only exact with the lease's sales: these buyers wait until it is settled.
                return new Allotment(details, before, before, [], ++updates, foreignWrites, AllotmentMode.Deferred, s.LeaseLane);
            }

            var granted = ImmutableArray.CreateBuilder<int>(quantities.Length);
            for (var i = 0; i < quantities.Length; i++)
            {
                if (quantities[i] <= s.Stock - s.Reserved)
                {
                    granted.Add(i);
                    s.Stock -= quantities[i];
                }
            }

            // A desk only takes stock, so a posting on the board can only be above the stock, never below it:
            // a refusal read off it stays exact. It is not a foreign write: its commit is reported back.
            return new Allotment(details, before, Level(s), granted.ToImmutable(), ++updates, foreignWrites);
        });
    }

    /// <summary>
    /// Adds the buyers' units and the lease's extra to the lease (opening one on the desk's lane if none is
    /// open), as far as the units not leased cover them; null when there is nothing to lease and no lease.
    /// </summary>
    private int? TryGrant(InventoryState s, ImmutableArray<int> quantities, LeaseRequest lease)
    {
        var wanted = quantities.Sum() + (long)lease.Extra;
        var grant = (int)Math.Min(s.Stock - s.Reserved - s.Leased, wanted);
        if (grant <= 0 && s.Leased == 0)
        {
            return null;
        }

        grant = Math.Max(grant, 0);
        if (s.Leased == 0)
        {
            s.LeaseLane = lease.Lane;
        }

        s.Leased += grant;
        // Until it is settled, neither the board nor this grain can tell the stock.
        leaseMaybe = true;
        grants++;
        foreignWrites++;
        board.TakeDown(ProductId);
        return grant;
    }

    public Task GiveBackAsync(int units)
    {
        InventoryRules.ValidateQuantity(units);
        // The same transaction took these units (without a lease, or it would not have), so no settlement.
        return state.PerformUpdate(s =>
        {
            foreignWrites++;
            board.TakeDown(ProductId);
            s.Stock += units;
        });
    }

    public Task SettleLeaseAsync() => SettledFirstAsync(() => Task.FromResult(true));

    public Task AllotmentCommittedAsync(Allotment allotment)
    {
        // Known again if nothing but our own batches and desks wrote since, and nothing later has reported.
        if (allotment.ForeignWritesSeen == foreignWrites && (known is not { } previous || previous.Order < allotment.WriteOrder))
        {
            known = (allotment.After, allotment.ForeignWritesSeen, allotment.WriteOrder);
            PostKnownLevel();
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Sells to the waiting buyers in batches until none waits. A second batch may start while the first
    /// commits: the stock's lock is free once the first is prepared, and the second builds on its
    /// tentative state (if the first aborted, so would the second, and both would be sold again).
    /// </summary>
    private async Task SellToWaitingAsync()
    {
        var running = new List<Task>(sales.Value.MaxBatchesInFlight);
        try
        {
            while (waiting.Count > 0 || running.Count > 0)
            {
                while (running.Count < sales.Value.MaxBatchesInFlight && waiting.Count > 0)
                {
                    var candidates = TakeCandidates();
                    if (candidates.Count == 0)
                    {
                        break;
                    }

                    running.Add(SellBatchAsync(candidates));
                }

                if (running.Count > 0)
                {
                    running.Remove(await Task.WhenAny(running));
                }
            }
        }
        finally
        {
            selling = false;
            traffic.SellingEnded(ProductId, this);
        }
    }

    /// <summary>
    /// The next batch, in arrival order. With the committed stock known, only buyers it can cover go in;
    /// when nobody fits and no batch is running, the rest are told the product is sold out.
    /// </summary>
    private List<PendingSale> TakeCandidates()
    {
        var options = sales.Value;
        var now = DateTime.UtcNow;
        // Shed only buyers the next batch cannot take: one at the front of the queue is served now, however
        // long it waited (a slow commit, not over-demand, kept it waiting, and turning it away helps no one).
        foreach (var expired in waiting.Skip(options.MaxBatch).Where(w => now - w.Enqueued > options.MaxWait).ToList())
        {
            waiting.Remove(expired);
            expired.Outcome.TrySetResult(SaleOutcome.Rejected(TooBusy()));
        }

        var level = KnownLevel;
        // Units that batches still running may take are not there to give.
        var remaining = level is null ? int.MaxValue : level.Available - unitsInFlight;
        var candidates = new List<PendingSale>();
        var users = new HashSet<string>();
        foreach (var sale in waiting)
        {
            if (candidates.Count == options.MaxBatch)
            {
                break;
            }

            if (sale.Request.Quantity <= remaining && SaleSteps.TryJoin(sale, users, usersInFlight))
            {
                candidates.Add(sale);
                remaining -= level is null ? 0 : sale.Request.Quantity;
            }
        }

        if (candidates.Count == 0 && level is not null && batchesInFlight == 0)
        {
            // Exact: nothing is running, and the committed stock covers none of them.
            foreach (var sale in waiting)
            {
                sale.Outcome.TrySetResult(SaleOutcome.Rejected(InsufficientStock(level.Available, sale.Request.Quantity)));
            }

            waiting.Clear();
        }

        waiting.RemoveAll(candidates.Contains);
        return candidates;
    }

    /// <summary>
    /// One transaction for the batch, retried without the buyers whose part could not be done. Buyers who
    /// do not fit the stock at commit time are told it is sold out; that answer is exact, it committed.
    /// </summary>
    private async Task SellBatchAsync(List<PendingSale> candidates)
    {
        var units = candidates.Sum(c => c.Request.Quantity);
        var users = candidates.Select(c => c.Request.UserId).ToArray();
        batchesInFlight++;
        unitsInFlight += units;
        usersInFlight.UnionWith(users);
        try
        {
            await SellBatchCoreAsync(candidates);
        }
        finally
        {
            batchesInFlight--;
            unitsInFlight -= units;
            usersInFlight.ExceptWith(users);
        }
    }

    private async Task SellBatchCoreAsync(List<PendingSale> candidates)
    {
        long? batch = null;
        while (candidates.Count > 0)
        {
            if (deactivating.IsCancellationRequested)
            {
                // Sold again without the buyers an aborted attempt left out: not once deactivation began.
                candidates.ForEach(c => c.Outcome.TrySetResult(SaleOutcome.Rejected(Unavailable())));
                return;
            }

            BatchResult? attempt = null;
            var failures = new ConcurrentBag<BuyerFailure>();
            try
            {
                // No lease is granted while this grain sells (see AllotAsync), so one settlement suffices.
                await SettleIfLeasedAsync();
                batch ??= await SaleSteps.NumberAsync(ids, candidates);
                var details = await GetProductAsync();
                await TakeCartsAsync(candidates, details, failures);
                var started = Stopwatch.GetTimestamp();
                var result = await transactions.RunAsync(
                    "a batched sale",
                    async () => attempt = await SellInTransactionAsync(batch.Value, candidates, failures),
                    resolve: () => ResolveAsync(attempt),
                    giveUp: deactivating.Token);
                if (known is not { } previous || previous.Order < result.Order)
                {
                    // Batches commit in the order they took the lock; the latest one tells the stock.
                    known = (result.Level, result.ForeignWritesSeen, result.Order);
                }

                PostKnownLevel();

                var milliseconds = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogBatch(logger, ProductId, candidates.Count, result.Sold.Count, milliseconds, waiting.Count);
                if (result.Sold.Count > 0)
                {
                    metrics.UnitsSold(ProductId, result.Sold.Sum(s => s.Sale.Request.Quantity));
                }

                foreach (var (sale, order) in result.Sold)
                {
                    sale.Outcome.TrySetResult(SaleOutcome.Sold(order));
                }

                // Final for them: the batch committed without their orders. Their carts take their lines back (one
                // that does not hear of it settles at its next use, with the same result).
                await Task.WhenAll(result.Unsold.Select(ReturnCartAsync));
                foreach (var sale in result.Unsold)
                {
                    sale.Outcome.TrySetResult(SaleOutcome.Rejected(InsufficientStock(result.Level.Available, sale.Request.Quantity)));
                }

                return;
            }
            catch (Exception) when (!failures.IsEmpty)
            {
                await SaleSteps.LeaveOutAsync(GrainFactory, candidates, failures);
            }
            catch (ShopException rejection)
            {
                candidates.ForEach(c => c.Outcome.TrySetResult(SaleOutcome.Rejected(rejection)));
                return;
            }
            catch (Exception exception)
            {
                candidates.ForEach(c => c.Outcome.TrySetException(exception));
                return;
            }
        }
    }

    /// <summary>
    /// Each buyer's order, built once for every attempt of the batch, and noted by their cart as the order it waits
    /// on, before the batch's transaction (so no cart is a participant of it). Throws when a cart refused, so the
    /// batch goes on without that buyer.
    /// </summary>
    private async Task TakeCartsAsync(List<PendingSale> candidates, ProductDetails details, ConcurrentBag<BuyerFailure> failures)
    {
        var now = DateTime.UtcNow;
        var toTake = new List<(PendingSale Sale, OrderDetails Order)>();
        foreach (var sale in candidates.Where(c => !c.CartTaken))
        {
            sale.Order ??= SaleSteps.BuildOrder(sale, _ => details, pricing.Value, now);
            toTake.Add((sale, sale.Order));
        }

        await SaleSteps.TakeCartsAsync(GrainFactory, toTake, failures);
        var refused = failures.Select(f => f.UserId).ToHashSet();
        foreach (var (sale, _) in toTake.Where(t => !refused.Contains(t.Sale.Request.UserId)))
        {
            sale.CartTaken = true;
        }

        if (!failures.IsEmpty)
        {
            throw new BatchBuyerFailures([.. failures]);
        }
    }

    /// <summary>Tells the cart of a buyer the committed batch did not sell (its cart was taken: every candidate's is) to stop waiting.</summary>
    private async Task ReturnCartAsync(PendingSale sale)
    {
        try
        {
            await GrainFactory.GetGrain<ICartGrain>(sale.Request.UserId).ReturnFromBatchAsync(sale.OrderId);
        }
        catch (Exception exception)
        {
            LogCartNotReturned(logger, exception, ProductId, sale.OrderId);
        }
    }

    /// <summary>The transaction's body: this grain writes first (so it manages the transaction), once.</summary>
    private async Task<BatchResult> SellInTransactionAsync(long batch, List<PendingSale> candidates, ConcurrentBag<BuyerFailure> failures)
    {
        // The update's result is copied out of the transaction, so it names buyers by position, not object.
        var (before, after, seen, lockOrder, fitting) = await state.PerformUpdate(s =>
        {
            ThrowIfLeased(s);
            var start = Level(s);
            var available = s.Stock - s.Reserved;
            var fits = new List<int>(candidates.Count);
            for (var i = 0; i < candidates.Count; i++)
            {
                // Re-checked against what is available at this moment, in arrival order.
                var quantity = candidates[i].Request.Quantity;
                if (quantity <= available)
                {
                    fits.Add(i);
                    available -= quantity;
                    s.Stock -= quantity;
                }
            }

            return (start, Level(s), foreignWrites, ++updates, fits.ToArray());
        });
        var granted = fitting.Select(i => candidates[i]).ToList();

        var sold = new List<(PendingSale Sale, OrderDetails Order)>(granted.Count);
        var audit = new List<AuditRecord>(granted.Count * 2);
        var stock = before.Stock;
        foreach (var sale in granted)
        {
            var order = sale.Order!;
            stock -= sale.Request.Quantity;
            audit.Add(AuditTexts.OrderCreated(order));
            audit.Add(AuditTexts.OrderFulfilled(order, order.Items[0], new InventoryLevel(ProductId, stock, before.Reserved)));
            sold.Add((sale, order));
        }

        await SaleSteps.EnrolAsync(GrainFactory, batch, sold, audit, failures, outbox.Value, cartsTaken: true);

        return new BatchResult(after, seen, lockOrder, sold, [.. candidates.Except(granted)]);
    }

    /// <summary>An in-doubt batch committed if the batch's order grain holds its first order.</summary>
    private async Task<BatchResult?> ResolveAsync(BatchResult? attempt) => attempt switch
    {
        null => null,
        { Sold: [] } => attempt,
        { Sold: [var (_, order), ..] } => await SaleSteps.CommittedAsync(GrainFactory, order.Id) ? attempt : null,
    };

    private async Task<ProductDetails> GetProductAsync()
    {
        if (product is { } cached && DateTime.UtcNow - cached.LoadedAt < sales.Value.ProductCacheTime)
        {
            return cached.Product;
        }

        var details = await GrainFactory.GetGrain<IProductGrain>(ProductId).GetAsync();
        product = (details, DateTime.UtcNow);
        return details;
    }

    /// <summary>
    /// An update by a transaction this grain does not run, after any lease is settled: afterwards, the
    /// committed stock is unknown.
    /// </summary>
    private Task<InventoryLevel> ForeignUpdate(Action<InventoryState> update) => SettledFirstAsync(() => state.PerformUpdate(s =>
    {
        ThrowIfLeased(s);
        // Before this write can commit, the silo's checkouts stop reading the old stock off the board.
        foreignWrites++;
        board.TakeDown(ProductId);
        update(s);
        return Level(s);
    }));

    /// <summary>
    /// Runs <paramref name="operation"/> once no lease is outstanding; no lease is granted from the moment
    /// it starts until it has taken the stock's lock (the transaction it joins then holds it).
    /// </summary>
    private async Task<T> SettledFirstAsync<T>(Func<Task<T>> operation)
    {
        foreignPending++;
        try
        {
            await SettleIfLeasedAsync();
            return await operation();
        }
        finally
        {
            foreignPending--;
        }
    }

    /// <summary>
    /// Ends the lease, if there may be one, each step in a transaction of its own (never inside the caller's,
    /// which may hold other products' locks: the lane is locked after products, always).
    /// </summary>
    private async Task SettleIfLeasedAsync()
    {
        if (!leaseMaybe)
        {
            return;
        }

        var grantsBefore = grants;
        var leased = await transactions.RunAsync("looking for a stock lease", () => state.PerformRead(s => s.Leased > 0));
        if (leased && await transactions.RunAsync("settling a stock lease", SettleInTransactionAsync) is { } settled)
        {
            // This grain ran that transaction and saw it commit, as with its own batches: the stock is known
            // (unless another write came in meanwhile), and a product sold out through a lease says so again.
            if (known is not { } previous || previous.Order < settled.Order)
            {
                known = settled;
            }

            PostKnownLevel();
        }

        if (grants == grantsBefore)
        {
            leaseMaybe = false;
        }
    }

    /// <summary>The product first, then the lane holding its lease: the lease's sales leave the stock, the rest come back.</summary>
    private async Task<(InventoryLevel Level, long ForeignWrites, long Order)?> SettleInTransactionAsync()
    {
        var held = await state.PerformUpdate(s => s.Leased > 0 ? (s.LeaseLane, s.Leased, s.Stock) : ((long Lane, int Units, int Stock)?)null);
        if (held is not var (lane, units, stock))
        {
            return null;
        }

        var returned = await GrainFactory.GetGrain<IStockLaneGrain>(lane).ReturnAsync(ProductId);
        if (returned is null || returned.Units + returned.Sold != units || stock - returned.Sold != returned.Stock)
        {
            throw new InvalidOperationException(
                $"Product {ProductId}: lane {lane} returned {returned} for a lease of {units} units at stock {stock}.");
        }

        return await state.PerformUpdate(s =>
        {
            s.Stock -= returned.Sold;
            s.Leased = 0;
            s.LeaseLane = 0;
            return ((InventoryLevel Level, long ForeignWrites, long Order)?)(Level(s), foreignWrites, ++updates);
        });
    }

    /// <summary>
    /// Posts the committed availability while this grain knows it; takes it down when it does not. Never once
    /// deactivation has begun: a batch that outlives it (its requests past Orleans' deactivation timeout)
    /// must not post its level over what a newer activation of the product has written since.
    /// </summary>
    private void PostKnownLevel()
    {
        if (!deactivating.IsCancellationRequested && KnownLevel is { } level && product is { } details)
        {
            board.Post(ProductId, level.Available, details.Product.Name);
        }
        else
        {
            board.TakeDown(ProductId);
        }
    }

    private async Task EnsureProductExistsAsync()
    {
        if (await GrainFactory.GetGrain<IProductGrain>(ProductId).FindAsync() is null)
        {
            throw new NotFoundException("Product", ProductId);
        }
    }

    private void EnsureAvailable(InventoryState s, int quantity, string productName)
    {
        var available = s.Stock - s.Reserved;
        if (available < quantity)
        {
            throw new InsufficientStockException(ProductId, productName, available, quantity);
        }
    }

    private InsufficientStockException InsufficientStock(int available, int requested) =>
        new(ProductId, product?.Product.Name ?? $"product {ProductId}", Math.Max(0, available), requested);

    private static ServiceUnavailableException TooBusy() =>
        new("Too many buyers are waiting for this product right now. Nothing was ordered; please try again.");

    private static ServiceUnavailableException Unavailable() =>
        new("This product's sales are restarting. Nothing was ordered; please try again.");

    private InventoryLevel Level(InventoryState s) => new(ProductId, s.Stock, s.Reserved);

    /// <summary>
    /// A guard: only the lease knows the stock while one is out, so a write that needs it must have settled
    /// first (which the grant rule ensures); should one still be there, nothing is changed and the caller retries.
    /// </summary>
    private void ThrowIfLeased(InventoryState s)
    {
        if (s.Leased > 0)
        {
            throw new ServiceUnavailableException($"Product {ProductId}'s stock was being settled. Nothing was changed; please try again.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Product {ProductId}: deactivating with {Waiting} buyers waiting (told to retry) and {Batches} batches running ({Reason})")]
    private static partial void LogDeactivating(ILogger logger, long productId, int waiting, int batches, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Product {ProductId}: the cart of order {OrderId}, which did not fit the stock, was not told; it takes its lines back at its next use")]
    private static partial void LogCartNotReturned(ILogger logger, Exception exception, long productId, long orderId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Product {ProductId}: batch of {Candidates} sold {Sold} in {Milliseconds:F0} ms; {Waiting} waiting")]
    private static partial void LogBatch(ILogger logger, long productId, int candidates, int sold, double milliseconds, int waiting);

    private sealed record BatchResult(
        InventoryLevel Level,
        long ForeignWritesSeen,
        long Order,
        List<(PendingSale Sale, OrderDetails Order)> Sold,
        List<PendingSale> Unsold);
}
