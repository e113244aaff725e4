using Microsoft.Extensions.Options;
using Shop.Diagnostics;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.order.v1")]
public sealed class OrderState
{
    [Id(0)] public OrderDetails? Order { get; set; }
}

/// <summary>
/// One order. An order placed in a transaction of its own is created here; an order sold in a batch is
/// born in its batch's <see cref="IOrderBatchGrain"/> (its id names the batch) and read from there until
/// its first change, which writes it, changed, to this grain's own state: from then on this state is the
/// order. Every read and change of this grain's state is transactional; the batch's orders are read as
/// committed, which they are for good (see <see cref="IOrderBatchGrain.FindAsync"/>). Reads are answered
/// from the last committed state this activation knows, so looking at an order again writes nothing.
/// </summary>
public sealed class OrderGrain(
    [TransactionalState("order", ShopStorage.Transactions)] ITransactionalState<OrderState> state,
    TransactionRunner transactions,
    IOptions<OutboxOptions> outbox,
    ShopMetrics metrics) : Grain, IOrderGrain
{
    public const int MaxReasonLength = 500;

    // The order as last committed, when this activation knows it: every change but the creation is a
    // transaction this grain runs itself, so it knows when one commits. A creation is part of the
    // checkout's transaction, which may still abort: it is known once a read has seen it committed.
    private OrderDetails? known;

    private long OrderId => this.GetPrimaryKeyLong();

    public Task CreateAsync(OrderDetails order)
    {
        known = null;
        return state.PerformUpdate(s =>
        {
            if (s.Order is not null)
            {
                throw new ConflictException($"Order {OrderId} already exists.");
            }

            s.Order = order;
        });
    }

    public async Task<OrderDetails> GetAsync(OrderAccess access) =>
        Visible(known ??= await transactions.RunAsync("reading an order", async () => await state.PerformRead(s => s.Order) ?? await FindBornInBatchAsync()), access);

    public Task<OrderDetails> CancelAsync(string? reason, OrderAccess access)
    {
        if (reason is { Length: > MaxReasonLength })
        {
            throw new ValidationException("reason", $"reason must be at most {MaxReasonLength} characters.");
        }

        return ChangeAsync("cancelling an order", access, (order, now) =>
        {
            if (!OrderTransitions.IsCancellable(order.Status))
            {
                throw new OrderNotCancellableException(order.Status);
            }

            return Cancel(order, string.IsNullOrWhiteSpace(reason) ? null : reason.Trim(), now);
        });
    }

    public Task<OrderDetails> UpdateStatusAsync(OrderStatusUpdate update, OrderAccess access)
    {
        if (update.Status is null && update.PaymentStatus is null)
        {
            throw new ValidationException("status", "Provide status, payment_status or both.");
        }

        return ChangeAsync("changing an order's status", access, (order, now) =>
        {
            var next = order;
            if (update.PaymentStatus is { } payment && payment != order.PaymentStatus)
            {
                if (!OrderTransitions.IsAllowed(order.PaymentStatus, payment))
                {
                    throw new InvalidPaymentTransitionException(order.PaymentStatus, payment);
                }

                next = next with { PaymentStatus = payment };
            }

            if (update.Status is { } status && status != order.Status)
            {
                if (!OrderTransitions.IsAllowed(order.Status, status))
                {
                    throw new InvalidStatusTransitionException(order.Status, status);
                }

                next = status == OrderStatus.Cancelled ? Cancel(next, reason: null, now) : next with { Status = status };
            }

            if (next.Status == OrderStatus.Cancelled && next.PaymentStatus == PaymentStatus.Paid && order.PaymentStatus != PaymentStatus.Paid)
            {
                throw new ConflictException($"Order {order.OrderNumber} is cancelled; it cannot be paid.");
            }

            return next;
        });
    }

    /// <summary>
    /// One transaction: the order's own change, stock restored for a cancellation, the user's order
    /// list and the audit entries. <paramref name="decide"/> throws to reject the change.
    /// </summary>
    private async Task<OrderDetails> ChangeAsync(string operation, OrderAccess access, Func<OrderDetails, DateTime, OrderDetails> decide)
    {
        var cancelled = false;
        // Until the change is known to have committed or not, only a read can tell.
        known = null;
        var changed = await transactions.RunAsync(operation, async () =>
        {
            cancelled = false;
            var now = DateTime.UtcNow;
            var born = await FindBornInBatchAsync();
            var (before, after) = await state.PerformUpdate(s =>
            {
                // The first change takes the order over from its batch.
                s.Order ??= born;
                var current = Visible(s.Order, access);
                var next = decide(current, now);
                if (next != current)
                {
                    s.Order = next with { UpdatedAt = now, Version = current.Version + 1 };
                }

                return (current, s.Order!);
            });

            if (after.Version == before.Version)
            {
                return after;
            }

            var audit = new List<AuditRecord>();
            var explicitPayment = after.PaymentStatus != before.PaymentStatus;
            if (after.Status == OrderStatus.Cancelled)
            {
                cancelled = true;
                foreach (var item in after.Items.OrderBy(i => i.ProductId))
                {
                    await GrainFactory.GetGrain<IInventoryGrain>(item.ProductId).RestoreAsync(item.Quantity);
                    audit.Add(AuditTexts.StockRestored(after, item, access.UserId));
                }

                audit.Add(AuditTexts.Cancelled(after, access.UserId));
                // The refund of a paid order is part of its cancellation, not a change of its own.
                explicitPayment &= !(before.PaymentStatus == PaymentStatus.Paid && after.PaymentStatus == PaymentStatus.Refunded);
            }
            else if (after.Status != before.Status)
            {
                audit.Add(AuditTexts.StatusChanged(before, after, access.UserId));
            }

            if (explicitPayment)
            {
                audit.Add(AuditTexts.PaymentStatusChanged(before, after, access.UserId));
            }

            var summary = after.ToSummary();
            await Task.WhenAll(
                GrainFactory.GetGrain<IUserOrdersGrain>(after.UserId).UpdateAsync(summary),
                GrainFactory.GetGrain<IOutboxGrain>(outbox.Value.PickLane()).AppendAsync(new OutboxBatch([.. audit], [summary])));
            return after;
        });

        known = changed;
        if (cancelled)
        {
            // Committed: the cancellation put its units back.
            foreach (var item in changed.Items)
            {
                metrics.UnitsRestored(item.ProductId, item.Quantity);
            }
        }

        return changed;
    }

    private static OrderDetails Cancel(OrderDetails order, string? reason, DateTime now) => order with
    {
        Status = OrderStatus.Cancelled,
        PaymentStatus = order.PaymentStatus == PaymentStatus.Paid ? PaymentStatus.Refunded : order.PaymentStatus,
        CancelledAt = now,
        CancellationReason = reason,
    };

    /// <summary>The order as its batch created it (committed, never changed since), or null when it was not sold in a batch.</summary>
    private async Task<OrderDetails?> FindBornInBatchAsync() =>
        OrderIds.BatchOf(OrderId) is { } batch ? await GrainFactory.GetGrain<IOrderBatchGrain>(batch).FindAsync(OrderId) : null;

    private OrderDetails Visible(OrderDetails? order, OrderAccess access) =>
        order is not null && access.CanSee(order.UserId) ? order : throw new NotFoundException("Order", OrderId);
}
