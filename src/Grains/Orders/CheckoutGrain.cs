using System.Collections.Immutable;
using Microsoft.Extensions.Options;

namespace Shop.Grains;

/// <summary>
/// Stateless: what a checkout changes lives in the cart, inventory, order and user-orders grains, all of
/// which join its one transaction. This grain orders the work, retries, and answers repeated requests.
/// </summary>
public sealed class CheckoutGrain(
    IdGenerator ids,
    TransactionRunner transactions,
    IOptions<PricingOptions> pricing,
    IOptions<OutboxOptions> outbox) : Grain, ICheckoutGrain
{
    private string UserId => this.GetPrimaryKeyString();

    private IUserOrdersGrain UserOrders => GrainFactory.GetGrain<IUserOrdersGrain>(UserId);

    public async Task<CheckoutResult> CheckoutAsync(CheckoutRequest request)
    {
        request.Validate();
        var fingerprint = request.Fingerprint();
        var replayable = request.IdempotencyKey is not null || request.IsRetry;
        if (replayable && request.RecordKey is { } recordKey && await UserOrders.FindCheckoutAsync(recordKey) is { } earlier)
        {
            return earlier.Fingerprint == fingerprint
                ? new CheckoutResult(await LoadOrderAsync(earlier.OrderId), Replayed: request.IdempotencyKey is not null && !request.IsRetry)
                : throw new IdempotencyKeyReusedException();
        }

        var addressBook = GrainFactory.GetGrain<IAddressBookGrain>(UserId);
        var shipping = await addressBook.GetAsync(request.ShippingAddressId);
        var billing = request.BillingAddressId is { } billingId && billingId != shipping.Id ? await addressBook.GetAsync(billingId) : shipping;

        // Every attempt records a key, the client's or our own, so that an in-doubt outcome can always be
        // settled by looking the key up, and a retry can never create a second order.
        var key = request.RecordKey ?? $"auto:{Guid.NewGuid():N}";
        var orderId = await ids.NextAsync(IdSequence.Order);
        var checkout = new PendingCheckout(orderId, key, fingerprint, shipping, billing, request);
        var replayed = request.IdempotencyKey is not null && !request.IsRetry;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var order = await transactions.RunAsync(
                    "checkout",
                    () => PlaceOrderAsync(checkout),
                    resolve: async () => await UserOrders.FindCheckoutAsync(key) is { } record ? await LoadOrderAsync(record.OrderId) : null);
                return new CheckoutResult(order, Replayed: false);
            }
            catch (CheckoutAlreadyRecordedException recorded)
            {
                return new CheckoutResult(await LoadOrderAsync(recorded.OrderId), replayed);
            }
            catch (EmptyCartException)
            {
                // An earlier attempt of this very request may have committed (and taken the cart) although
                // its outcome looked uncertain: then its order is the answer.
                if (await UserOrders.FindCheckoutAsync(key) is { } record)
                {
                    return new CheckoutResult(await LoadOrderAsync(record.OrderId), replayed);
                }

                // A read inside a transaction can see another transaction's tentative change (one that
                // emptied the cart and then aborted, say). Only a committed empty cart is an empty cart.
                var committed = await transactions.RunAsync("reading the cart", () => GrainFactory.GetGrain<ICartGrain>(UserId).GetAsync());
                if (committed.Items.IsEmpty || attempt >= 3)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>The transaction's body: each grain is called once, every inventory in product-id order.</summary>
    private async Task<OrderDetails> PlaceOrderAsync(PendingCheckout checkout)
    {
        var now = DateTime.UtcNow;
        var lines = await GrainFactory.GetGrain<ICartGrain>(UserId).TakeForCheckoutAsync();
        var products = await Task.WhenAll(lines.Select(l => GrainFactory.GetGrain<IProductGrain>(l.ProductId).FindAsync()));
        var items = lines.Select((line, index) => products[index] is { } product
                ? new OrderItem(index + 1, line.ProductId, product.Sku, product.Name, product.Attributes, line.Quantity, product.Price)
                : throw new NotFoundException("Product", line.ProductId))
            .ToImmutableArray();

        var totals = Pricing.Calculate(items.Sum(i => i.TotalPrice), pricing.Value);
        var request = checkout.Request;
        var order = new OrderDetails(
            checkout.OrderId, OrderNumbers.Format(checkout.OrderId, now), UserId,
            OrderStatus.Pending, PaymentStatus.Pending, request.PaymentMethod,
            totals.Subtotal, totals.Tax, totals.Shipping, totals.Discount, totals.Total,
            checkout.Shipping, checkout.Billing, string.IsNullOrWhiteSpace(request.Notes) ? null : request.Notes,
            items, now, now, CancelledAt: null, CancellationReason: null, Version: 1);

        var audit = new List<AuditRecord>(items.Length + 1) { AuditTexts.OrderCreated(order) };
        foreach (var item in items.OrderBy(i => i.ProductId))
        {
            var level = await GrainFactory.GetGrain<IInventoryGrain>(item.ProductId).SellAsync(item.Quantity, item.ProductName);
            audit.Add(AuditTexts.OrderFulfilled(order, item, level));
        }

        var summary = order.ToSummary();
        await Task.WhenAll(
            GrainFactory.GetGrain<IOrderGrain>(order.Id).CreateAsync(order),
            UserOrders.RecordCheckoutAsync(summary, new CheckoutRecord(checkout.Key, checkout.Fingerprint, order.Id, now)),
            GrainFactory.GetGrain<IOutboxGrain>(outbox.Value.PickLane()).AppendAsync(new OutboxBatch([.. audit], [summary])));
        return order;
    }

    private Task<OrderDetails> LoadOrderAsync(long orderId) =>
        GrainFactory.GetGrain<IOrderGrain>(orderId).GetAsync(new OrderAccess(UserId, IsStaff: false));

    private sealed record PendingCheckout(
        long OrderId,
        string Key,
        string Fingerprint,
        AddressDetails Shipping,
        AddressDetails Billing,
        CheckoutRequest Request);
}
