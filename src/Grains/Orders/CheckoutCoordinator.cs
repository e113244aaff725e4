using System.Collections.Immutable;
using Microsoft.Extensions.Options;
using Shop.Diagnostics;

namespace Shop.Grains;

/// <summary>
/// A checkout, start to end: routes it (a cart of one product that a crowd is buying to that product's
/// inventory grain, which batches its buyers; a lone buyer of one product, and a cart of several
/// products, to the silo's sales desk; <see cref="ProductTraffic"/> tells the two apart), runs a cart that turns out not to be what its committed lines said in a transaction of its own,
/// retries, and answers repeated requests. Stateless: what a checkout changes lives in the inventory,
/// order and cart grains (the cart also keeps the user's order book), all of which join its one
/// transaction. A silo's API calls it in process (no grain call in between); a separate API process calls
/// it through <see cref="CheckoutGrain"/>.
/// </summary>
/// <remarks>
/// Two checkouts of one user may run at once (a client's retry, a double click); their cart, a
/// participant of either transaction, lines them up, and a batch never takes two buyers of one user
/// (<see cref="SaleSteps.TryJoin"/>).
/// </remarks>
public sealed class CheckoutCoordinator(
    IGrainFactory grainFactory,
    IdGenerator ids,
    TransactionRunner transactions,
    IOptions<PricingOptions> pricing,
    IOptions<OutboxOptions> outbox,
    IOptions<SalesOptions> sales,
    SoldOutBoard soldOut,
    ProductTraffic traffic,
    ShopMetrics metrics)
{
    public async Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request)
    {
        try
        {
            ArgumentException.ThrowIfNullOrEmpty(userId);
            request.Validate();
            var cart = grainFactory.GetGrain<ICartGrain>(userId);
            if (request.IsRetry && request.ThisAttempt is { } attempt)
            {
                // An earlier attempt may still be in a batch, and sell this buyer the units a sold-out answer
                // to this one would say are gone. After this, it either committed (and the records below
                // show its order) or can no longer book the cart.
                await cart.SupersedeAsync(attempt);
            }

            var (lines, earlier, shipping, billing) = await cart.StartCheckoutAsync(
                request.RecordKey, request.ShippingAddressId, request.BillingAddressId ?? request.ShippingAddressId);
            if (earlier is not null)
            {
                // A repeated request: the answer is the order it created, whatever the cart or the stock hold now.
                return earlier.Fingerprint == request.Fingerprint()
                    ? CheckoutResult.Created(await LoadOrderAsync(userId, earlier.OrderId), IsClientReplay(request))
                    : throw new IdempotencyKeyReusedException();
            }

            if (lines is [var only] && soldOut.TryGet(only.ProductId, out var available, out var productName) && available < only.Quantity)
            {
                // The product's grain on this silo knows its committed stock, and it is short: the answer it would give.
                return CheckoutResult.Refused(new InsufficientStockException(only.ProductId, productName, Math.Max(0, available), only.Quantity));
            }

            // Every attempt records a key, the client's or our own, so that an in-doubt outcome can always be
            // settled by looking the key up, and a repeated request can never create a second order: the
            // transaction itself finds an earlier order under the key and answers with it.
            var checkout = new PendingCheckout(
                userId,
                request.RecordKey ?? $"auto:{Guid.NewGuid():N}",
                request.Fingerprint(),
                shipping,
                billing,
                request);
            if (!lines.IsEmpty && (lines.Length == 1 || sales.Value.SalesDesk))
            {
                // One product with a crowd of buyers (or no desk): its grain, which batches them. A lone buyer
                // of one product, and a cart of several: the desk, which sells many products' buyers together.
                var toProduct = lines is [var line] && (!sales.Value.SalesDesk || traffic.IsCrowded(line.ProductId, DateTime.UtcNow));
                var sale = new SaleRequest(
                    userId, checkout.Key, checkout.Fingerprint, lines,
                    shipping, billing, NotesOf(request), request.PaymentMethod, InCrowd: toProduct, Attempt: request.ThisAttempt);
                var outcome = await (toProduct
                    ? grainFactory.GetGrain<IInventoryGrain>(lines[0].ProductId).SellAsync(sale)
                    : grainFactory.GetGrain<ISalesDeskGrain>(0).SellAsync(sale));
                switch (outcome.Status)
                {
                    case SaleStatus.Sold:
                        return CheckoutResult.Created(outcome.Order!, outcome.Replayed && IsClientReplay(request));
                    case SaleStatus.Rejected:
                        return CheckoutResult.Refused(outcome.Rejection!);
                }

                // The cart was not what its committed lines said: check it out the general way.
            }

            return await CheckoutInOwnTransactionAsync(checkout);
        }
        catch (ShopException rejection)
        {
            return CheckoutResult.Refused(rejection);
        }
    }

    /// <summary>See <see cref="ICheckoutGrain.SettleAsync"/>.</summary>
    public async Task<OrderDetails?> SettleAsync(string userId, CheckoutRequest request)
    {
        ArgumentException.ThrowIfNullOrEmpty(userId);
        if (request.ThisAttempt is not { } attempt || request.RecordKey is not { } key)
        {
            throw new ValidationException("request_id", "Only a checkout request with an id can be settled.");
        }

        // After the fence, an earlier attempt that took the cart has committed (the fence's transaction
        // waited for it) and any other can no longer book it: the record below is the final word.
        await grainFactory.GetGrain<ICartGrain>(userId).SupersedeAsync(attempt);
        var found = await transactions.RunAsync("reading a checkout record", () => UserOrders(userId).FindCheckoutAsync(key));
        return found is { } record && record.Fingerprint == request.Fingerprint()
            ? await LoadOrderAsync(userId, record.OrderId)
            : null;
    }

    private async Task<CheckoutResult> CheckoutInOwnTransactionAsync(PendingCheckout checkout)
    {
        var request = checkout.Request;
        // One id for every attempt: an attempt that did not commit can no longer commit once the next runs.
        var orderId = await ids.NextAsync(IdSequence.Order);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var order = await transactions.RunAsync(
                    "checkout",
                    () => PlaceOrderAsync(orderId, checkout),
                    resolve: async () => await UserOrders(checkout.UserId).FindCheckoutAsync(checkout.Key) is { } record ? await LoadOrderAsync(checkout.UserId, record.OrderId) : null);
                foreach (var item in order.Items)
                {
                    metrics.UnitsSold(item.ProductId, item.Quantity);
                }

                return CheckoutResult.Created(order, replayed: false);
            }
            catch (CheckoutAlreadyRecordedException recorded)
            {
                return CheckoutResult.Created(await LoadOrderAsync(checkout.UserId, recorded.OrderId), IsClientReplay(request));
            }
            catch (EmptyCartException)
            {
                // An earlier request with this key may have committed (and taken the cart): then its order
                // is the answer, or the key was used for something else.
                if (await UserOrders(checkout.UserId).FindCheckoutAsync(checkout.Key) is { } record)
                {
                    return record.Fingerprint == checkout.Fingerprint
                        ? CheckoutResult.Created(await LoadOrderAsync(checkout.UserId, record.OrderId), IsClientReplay(request))
                        : throw new IdempotencyKeyReusedException();
                }

                // A read inside a transaction can see another transaction's tentative change (one that
                // emptied the cart and then aborted, say). Only a committed empty cart is an empty cart.
                var committed = await transactions.RunAsync("reading the cart", () => grainFactory.GetGrain<ICartGrain>(checkout.UserId).GetAsync());
                if (committed.Items.IsEmpty || attempt >= 3)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>The transaction's body: each grain is called once, every inventory in product-id order.</summary>
    private async Task<OrderDetails> PlaceOrderAsync(long orderId, PendingCheckout checkout)
    {
        var now = DateTime.UtcNow;
        var lines = await grainFactory.GetGrain<ICartGrain>(checkout.UserId).TakeForCheckoutAsync();
        var products = await Task.WhenAll(lines.Select(l => grainFactory.GetGrain<IProductGrain>(l.ProductId).FindAsync()));
        var items = lines.Select((line, index) => products[index] is { } product
                ? new OrderItem(index + 1, line.ProductId, product.Sku, product.Name, product.Attributes, line.Quantity, product.Price)
                : throw new NotFoundException("Product", line.ProductId))
            .ToImmutableArray();

        var totals = Pricing.Calculate(items.Sum(i => i.TotalPrice), pricing.Value);
        var request = checkout.Request;
        var order = new OrderDetails(
            orderId, OrderNumbers.Format(orderId, now), checkout.UserId,
            OrderStatus.Pending, PaymentStatus.Pending, request.PaymentMethod,
            totals.Subtotal, totals.Tax, totals.Shipping, totals.Discount, totals.Total,
            checkout.Shipping, checkout.Billing, NotesOf(request),
            items, now, now, CancelledAt: null, CancellationReason: null, Version: 1);

        var audit = new List<AuditRecord>(items.Length + 1) { AuditTexts.OrderCreated(order) };
        foreach (var item in items.OrderBy(i => i.ProductId))
        {
            var level = await grainFactory.GetGrain<IInventoryGrain>(item.ProductId).ReserveAndFulfilAsync(item.Quantity, item.ProductName);
            audit.Add(AuditTexts.OrderFulfilled(order, item, level));
        }

        var summary = order.ToSummary();
        await Task.WhenAll(
            grainFactory.GetGrain<IOrderGrain>(order.Id).CreateAsync(order),
            UserOrders(checkout.UserId).RecordCheckoutAsync(summary, new CheckoutRecord(checkout.Key, checkout.Fingerprint, order.Id, now), request.ThisAttempt),
            grainFactory.GetGrain<IOutboxGrain>(outbox.Value.PickLane()).AppendAsync(new OutboxBatch([.. audit], [summary])));
        return order;
    }

    /// <summary>Answering with an earlier order is a replay (200) when the client repeated its own key.</summary>
    private static bool IsClientReplay(CheckoutRequest request) => request.IdempotencyKey is not null && !request.IsRetry;

    private static string? NotesOf(CheckoutRequest request) => string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes;

    private IUserOrdersGrain UserOrders(string userId) => grainFactory.GetGrain<IUserOrdersGrain>(userId);

    private Task<OrderDetails> LoadOrderAsync(string userId, long orderId) =>
        grainFactory.GetGrain<IOrderGrain>(orderId).GetAsync(new OrderAccess(userId, IsStaff: false));

    private sealed record PendingCheckout(
        string UserId,
        string Key,
        string Fingerprint,
        AddressDetails Shipping,
        AddressDetails Billing,
        CheckoutRequest Request);
}
