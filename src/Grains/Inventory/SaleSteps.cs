using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>
/// What selling one unit line to one buyer involves inside a batch's transaction, the same whether the
/// product's own grain runs the batch or a sales desk does: the order built from the product's snapshot,
/// the buyer's cart and order joined to the transaction, and what a failed buyer is told.
/// </summary>
internal static class SaleSteps
{
    /// <summary>The order for the buyer's lines, in cart order, each with its product's catalog data of the moment.</summary>
    public static OrderDetails BuildOrder(SaleRequest request, Func<long, ProductDetails> productOf, PricingOptions pricing, DateTime now)
    {
        var items = request.Lines.Select((line, index) =>
            {
                var product = productOf(line.ProductId);
                return new OrderItem(index + 1, product.Id, product.Sku, product.Name, product.Attributes, line.Quantity, product.Price);
            })
            .ToImmutableArray();
        var totals = Pricing.Calculate(items.Sum(i => i.TotalPrice), pricing);
        return new OrderDetails(
            request.OrderId, OrderNumbers.Format(request.OrderId, now), request.UserId,
            OrderStatus.Pending, PaymentStatus.Pending, request.PaymentMethod,
            totals.Subtotal, totals.Tax, totals.Shipping, totals.Discount, totals.Total,
            request.ShippingAddress, request.BillingAddress, request.Notes,
            items, now, now, CancelledAt: null, CancellationReason: null, Version: 1);
    }

    /// <summary>
    /// A buyer's part of the batch: their key recorded, their cart taken and the order booked in it (one
    /// update of their cart), and their order created. A failure is collected, not thrown, so the batch
    /// can name every buyer it has to leave out.
    /// </summary>
    public static async Task EnrolAsync(
        IGrainFactory grains, SaleRequest request, OrderDetails order, ConcurrentBag<BuyerFailure> failures)
    {
        var take = grains.GetGrain<ICartGrain>(request.UserId).TakeAndBookAsync(
            order.ToSummary(), new CheckoutRecord(request.RecordKey, request.Fingerprint, order.Id, order.CreatedAt));
        var create = grains.GetGrain<IOrderGrain>(order.Id).CreateAsync(order);

        // The cart's answer is the telling one (a recorded key, an empty or changed cart); the order's comes after.
        ShopException? failure = null;
        try
        {
            if (!request.Matches(await take))
            {
                failure = new CartChangedException();
            }
        }
        catch (ShopException exception)
        {
            failure = exception;
        }

        try
        {
            await create;
        }
        catch (ShopException exception)
        {
            failure ??= exception;
        }

        if (failure is not null)
        {
            failures.Add(new BuyerFailure(request.UserId, failure));
        }
    }

    /// <summary>What a buyer left out of a batch is told: their earlier order, the general checkout, or the reason.</summary>
    public static async Task<SaleOutcome> OutcomeOfFailureAsync(IGrainFactory grains, SaleRequest request, ShopException failure) => failure switch
    {
        CheckoutAlreadyRecordedException recorded => SaleOutcome.Sold(
            await grains.GetGrain<IOrderGrain>(recorded.OrderId).GetAsync(new OrderAccess(request.UserId, IsStaff: false)),
            replayed: true),
        CartChangedException or EmptyCartException => SaleOutcome.Reroute,
        _ => SaleOutcome.Rejected(failure),
    };

    /// <summary>An in-doubt batch committed if one of its buyers' idempotency records names that buyer's order.</summary>
    public static async Task<bool> CommittedAsync(IGrainFactory grains, SaleRequest request, long orderId) =>
        (await grains.GetGrain<IUserOrdersGrain>(request.UserId).FindCheckoutAsync(request.RecordKey))?.OrderId == orderId;
}
