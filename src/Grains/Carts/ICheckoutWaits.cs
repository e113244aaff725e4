namespace Shop.Grains;

/// <summary>
/// Where a cart keeps the order it waits on (<see cref="ICartGrain.TakeForBatchAsync"/>): one durable row per
/// user, written outside Orleans' transactions, so that taking a cart for a crowd batch costs one batched row
/// write instead of a transaction. The row is the cart's only durable trace of a checkout in flight: after a
/// crash, the cart's next activation reads it and settles the order with the batch.
/// </summary>
public interface ICheckoutWaits
{
    /// <summary>The user's row: what it waits on (null: nothing) and its version (null: no row yet).</summary>
    Task<(BatchCheckout? Waiting, long? Version)> ReadAsync(string userId);

    /// <summary>Writes the row if its version is still <paramref name="expected"/>; false when another write got there first.</summary>
    Task<bool> WriteAsync(string userId, BatchCheckout? waiting, long? expected, long version);
}
