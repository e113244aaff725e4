using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>
/// What selling a buyer their cart's lines involves inside a batch's transaction, the same whether the
/// product's own grain runs the batch or a sales desk does: the order built from the product's snapshot,
/// the buyer's cart and order joined to the transaction, and what a failed buyer is told.
/// </summary>
internal static class SaleSteps
{
    /// <summary>
    /// Gives the batch's buyers their order ids: one range, so that their orders are born in one
    /// <see cref="IOrderBatchGrain"/>. A batch sold again without some buyers keeps its range and its ids:
    /// the attempt before it can no longer commit.
    /// </summary>
    public static async Task<long> NumberAsync(IdGenerator ids, List<PendingSale> candidates)
    {
        if (candidates.Count > OrderIds.PerBatch)
        {
            throw new ArgumentException($"A batch holds at most {OrderIds.PerBatch} buyers.", nameof(candidates));
        }

        var batch = await ids.NextAsync(IdSequence.OrderBatch);
        var first = OrderIds.FirstOf(batch);
        for (var i = 0; i < candidates.Count; i++)
        {
            candidates[i].OrderId = first + i;
        }

        return batch;
    }

    /// <summary>
    /// Adds a waiting buyer's user to the batch being formed, unless another checkout of the same user is
    /// in it already, or in a batch still running (a client's retry while its first attempt runs, a double
    /// click): both would take part through the same cart, and a batch could not tell which of them
    /// failed. The later one waits for the next batch, and finds the first's order under its key there,
    /// or the cart already taken.
    /// </summary>
    public static bool TryJoin(PendingSale sale, HashSet<string> batchUsers, HashSet<string> usersInFlight) =>
        !usersInFlight.Contains(sale.Request.UserId) && batchUsers.Add(sale.Request.UserId);

    /// <summary>The buyer's order for their lines, in cart order, each with its product's catalog data of the moment.</summary>
    public static OrderDetails BuildOrder(PendingSale sale, Func<long, ProductDetails> productOf, PricingOptions pricing, DateTime now)
    {
        var request = sale.Request;
        var items = request.Lines.Select((line, index) =>
            {
                var product = productOf(line.ProductId);
                return new OrderItem(index + 1, product.Id, product.Sku, product.Name, product.Attributes, line.Quantity, product.Price);
            })
            .ToImmutableArray();
        var totals = Pricing.Calculate(items.Sum(i => i.TotalPrice), pricing);
        return new OrderDetails(
            sale.OrderId, OrderNumbers.Format(sale.OrderId, now), request.UserId,
            OrderStatus.Pending, PaymentStatus.Pending, request.PaymentMethod,
            totals.Subtotal, totals.Tax, totals.Shipping, totals.Discount, totals.Total,
            request.ShippingAddress, request.BillingAddress, request.Notes,
            items, now, now, CancelledAt: null, CancellationReason: null, Version: 1);
    }

    /// <summary>
    /// A batch's part inside its transaction: its orders in one update of the batch's <see cref="IOrderBatchGrain"/>,
    /// with every sold buyer's cart joined to the transaction unless <paramref name="cartsTaken"/> (a crowd's
    /// carts noted the orders they wait on before, <see cref="TakeCartsAsync"/>), then the batch's audit entries
    /// and order summaries to one outbox lane. When any buyer's part failed, or a cart's settlement voided a
    /// buyer's order meanwhile (the cart's silo restarted, say), throws, so the batch aborts and is sold again
    /// without them.
    /// </summary>
    public static async Task EnrolAsync(
        IGrainFactory grains,
        long batch,
        List<(PendingSale Sale, OrderDetails Order)> sold,
        List<AuditRecord> audit,
        ConcurrentBag<BuyerFailure> failures,
        OutboxOptions outbox,
        bool cartsTaken = false)
    {
        if (sold.Count == 0)
        {
            return;
        }

        var orders = grains.GetGrain<IOrderBatchGrain>(batch).RecordAsync([.. sold.Select(s => s.Order)]);
        IEnumerable<Task> parts = cartsTaken ? [orders] : sold.Select(s => EnrolAsync(grains, s.Sale.Request, s.Order, failures)).Append(orders);
        await Task.WhenAll(parts);
        var voided = await orders;
        foreach (var (sale, _) in sold.Where(s => voided.Contains(s.Order.Id)))
        {
            failures.Add(new BuyerFailure(sale.Request.UserId, new CartChangedException()));
        }

        if (!failures.IsEmpty)
        {
            throw new BatchBuyerFailures([.. failures]);
        }

        await grains.GetGrain<IOutboxGrain>(outbox.PickLane())
            .AppendAsync(new OutboxBatch([.. audit], [.. sold.Select(s => s.Order.ToSummary())]));
    }

    /// <summary>
    /// A crowd batch's buyers, before its transaction: each cart checks the buyer's checkout and notes the order
    /// it now waits on in one row (<see cref="ICartGrain.TakeForBatchAsync"/>), so the batch's transaction has no
    /// cart among its participants. A buyer whose cart refuses is collected in <paramref name="failures"/>.
    /// </summary>
    public static Task TakeCartsAsync(IGrainFactory grains, IEnumerable<(PendingSale Sale, OrderDetails Order)> buyers, ConcurrentBag<BuyerFailure> failures) =>
        Task.WhenAll(buyers.Select(async buyer =>
        {
            var request = buyer.Sale.Request;
            try
            {
                var checkout = new BatchCheckout(
                    buyer.Order.ToSummary(),
                    new CheckoutRecord(request.RecordKey, request.Fingerprint, buyer.Order.Id, buyer.Order.CreatedAt),
                    request.Lines);
                await grains.GetGrain<ICartGrain>(request.UserId).TakeForBatchAsync(checkout, request.Attempt);
            }
            catch (ShopException exception)
            {
                failures.Add(new BuyerFailure(request.UserId, exception));
            }
        }));

    /// <summary>
    /// A buyer's part of the batch: their key recorded, their cart taken and the order booked in it, in
    /// one update of their cart. A failure is collected, not thrown, so the batch can name every buyer it
    /// has to leave out.
    /// </summary>
    private static async Task EnrolAsync(
        IGrainFactory grains, SaleRequest request, OrderDetails order, ConcurrentBag<BuyerFailure> failures)
    {
        try
        {
            var lines = await grains.GetGrain<ICartGrain>(request.UserId).TakeAndBookAsync(
                order.ToSummary(), new CheckoutRecord(request.RecordKey, request.Fingerprint, order.Id, order.CreatedAt), request.Attempt);
            if (!request.Matches(lines))
            {
                failures.Add(new BuyerFailure(request.UserId, new CartChangedException()));
            }
        }
        catch (ShopException exception)
        {
            failures.Add(new BuyerFailure(request.UserId, exception));
        }
    }

    /// <summary>
    /// Takes the buyers whose part failed out of the batch and tells each what happened; the rest are then
    /// sold again without them. (The transaction reports whichever failure it recorded first, a
    /// participant's; which buyers failed, and why, the batch's body collected itself.)
    /// </summary>
    public static async Task LeaveOutAsync(IGrainFactory grains, List<PendingSale> candidates, IEnumerable<BuyerFailure> failures)
    {
        foreach (var failure in failures.DistinctBy(f => f.UserId))
        {
            if (candidates.Find(c => c.Request.UserId == failure.UserId) is not { } sale)
            {
                continue;
            }

            candidates.Remove(sale);
            try
            {
                sale.Outcome.TrySetResult(await OutcomeOfFailureAsync(grains, sale.Request, failure.Failure));
            }
            catch (Exception exception)
            {
                // Looking up what an earlier request of theirs created failed (its silo died, say): this
                // buyer is told so, and the rest of the batch is still sold.
                sale.Outcome.TrySetException(exception);
            }
        }
    }

    /// <summary>What a buyer left out of a batch is told: their earlier order, the general checkout, or the reason.</summary>
    public static async Task<SaleOutcome> OutcomeOfFailureAsync(IGrainFactory grains, SaleRequest request, ShopException failure) => failure switch
    {
        CheckoutAlreadyRecordedException recorded => await EarlierOrderAsync(grains, request, recorded.OrderId),
        CartChangedException or EmptyCartException => SaleOutcome.Reroute,
        _ => SaleOutcome.Rejected(failure),
    };

    /// <summary>
    /// The order an earlier request with the buyer's key created. The key may have been seen tentatively,
    /// recorded by a concurrent checkout of the same user that then aborted: then there is no such order,
    /// and the checkout goes the general way, which settles it against what committed.
    /// </summary>
    private static async Task<SaleOutcome> EarlierOrderAsync(IGrainFactory grains, SaleRequest request, long orderId)
    {
        try
        {
            return SaleOutcome.Sold(
                await grains.GetGrain<IOrderGrain>(orderId).GetAsync(new OrderAccess(request.UserId, IsStaff: false)),
                replayed: true);
        }
        catch (NotFoundException)
        {
            return SaleOutcome.Reroute;
        }
    }

    /// <summary>An in-doubt batch committed if one of its buyers' idempotency records names that buyer's order.</summary>
    public static async Task<bool> CommittedAsync(IGrainFactory grains, SaleRequest request, long orderId) =>
        (await grains.GetGrain<IUserOrdersGrain>(request.UserId).FindCheckoutAsync(request.RecordKey))?.OrderId == orderId;

    /// <summary>An in-doubt batch committed if its order grain holds one of its orders.</summary>
    public static async Task<bool> CommittedAsync(IGrainFactory grains, long orderId) =>
        OrderIds.BatchOf(orderId) is { } batch && await grains.GetGrain<IOrderBatchGrain>(batch).FindAsync(orderId) is not null;
}
