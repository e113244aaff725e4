using System.Collections.Immutable;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.order-batch.v1")]
public sealed class OrderBatchState
{
    [Id(0)] public ImmutableArray<OrderDetails> Orders { get; set; } = [];

    /// <summary>Order ids no attempt of the batch may commit any more (see <see cref="IOrderBatchGrain.ResolveAsync"/>).</summary>
    [Id(1)] public ImmutableArray<long> Voided { get; set; } = [];
}

/// <summary>
/// The new orders of one batched sale, written by the batch's transaction in one update: a batch of 128
/// buyers adds one participant (one row, written at prepare and at commit) for its orders instead of 128.
/// Never changed afterwards: an order's later changes go to its own <see cref="OrderGrain"/>'s state.
/// </summary>
public sealed class OrderBatchGrain(
    [TransactionalState("order-batch", ShopStorage.Transactions)] ITransactionalState<OrderBatchState> state,
    TransactionRunner transactions) : Grain, IOrderBatchGrain
{
    // The committed orders, once a read has found any: final from then on.
    private ImmutableArray<OrderDetails>? committed;

    private long Batch => this.GetPrimaryKeyLong();

    public Task OpenAsync() => state.PerformUpdate(s => s.Orders = []);

    public Task<ImmutableArray<long>> RecordAsync(ImmutableArray<OrderDetails> orders)
    {
        foreach (var order in orders)
        {
            if (OrderIds.BatchOf(order.Id) != Batch)
            {
                throw new ArgumentException($"Order {order.Id} is not one of batch {Batch}'s ids.", nameof(orders));
            }
        }

        // Only the batch that was given this number writes here, and only until one of its attempts commits
        // (an attempt is tried again only once it can no longer commit): what an earlier attempt left, still
        // tentative, is that attempt's and is replaced. Were it ever visible, this write would depend on it
        // and abort with it.
        return state.PerformUpdate(s =>
        {
            s.Orders = orders;
            return s.Voided.IsEmpty ? [] : orders.Select(o => o.Id).Where(s.Voided.Contains).ToImmutableArray();
        });
    }

    public async Task<OrderDetails?> ResolveAsync(long orderId)
    {
        if (committed?.FirstOrDefault(o => o.Id == orderId) is { } known)
        {
            return known;
        }

        var (order, orders) = await transactions.RunAsync("resolving a batch's order", () => state.PerformUpdate(s =>
        {
            var found = s.Orders.FirstOrDefault(o => o.Id == orderId);
            if (found is null && !s.Voided.Contains(orderId))
            {
                s.Voided = s.Voided.Add(orderId);
            }

            return (found, s.Orders);
        }));
        if (!orders.IsEmpty)
        {
            // Committed: this transaction wrote after the batch's and saw its orders.
            committed = orders;
        }

        return order;
    }

    public async Task<OrderDetails?> FindAsync(long orderId)
    {
        if (committed is null)
        {
            var orders = await transactions.RunAsync("reading a batch's orders", () => state.PerformRead(s => s.Orders));
            if (orders.IsEmpty)
            {
                // Nothing committed with this number (yet): a later batch may still write it.
                return null;
            }

            committed = orders;
        }

        return committed.Value.FirstOrDefault(o => o.Id == orderId);
    }
}
