using System.Collections.Immutable;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.order-batch.v1")]
public sealed class OrderBatchState
{
    [Id(0)] public ImmutableArray<OrderDetails> Orders { get; set; } = [];
}

/// <summary>
/// The new orders of one batched sale, written by the batch's transaction in one update: a batch of 128
/// buyers adds one participant (one row, written at prepare and at commit) for its orders instead of 128.
/// Never changed afterwards: an order's later changes go to its own <see cref="OrderGrain"/>'s state.
/// </summary>
public sealed class OrderBatchGrain(
    [TransactionalState("order-batch", ShopStorage.Transactions)] ITransactionalState<OrderBatchState> state) : Grain, IOrderBatchGrain
{
    private long Batch => this.GetPrimaryKeyLong();

    public Task RecordAsync(ImmutableArray<OrderDetails> orders)
    {
        foreach (var order in orders)
        {
            if (OrderIds.BatchOf(order.Id) != Batch)
            {
                throw new ArgumentException($"Order {order.Id} is not one of batch {Batch}'s ids.", nameof(orders));
            }
        }

        return state.PerformUpdate(s =>
        {
            // A batch's ids are used by one committed transaction only: a second would overwrite its orders.
            if (!s.Orders.IsEmpty)
            {
                throw new InvalidOperationException($"Order batch {Batch} already holds {s.Orders.Length} orders.");
            }

            s.Orders = orders;
        });
    }

    public Task<OrderDetails?> FindAsync(long orderId) =>
        state.PerformRead(s => s.Orders.FirstOrDefault(o => o.Id == orderId));
}
