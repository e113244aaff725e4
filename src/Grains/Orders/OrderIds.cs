namespace Shop.Grains;

/// <summary>
/// Order ids: one at a time for an order placed in a transaction of its own (from 1 up), and aligned
/// ranges of <see cref="PerBatch"/> above <see cref="BatchedBase"/> for the orders of a batched sale, so
/// that an order id tells which <see cref="IOrderBatchGrain"/> holds the order as it was born.
/// </summary>
public static class OrderIds
{
    /// <summary>Ids per batch: the most buyers a batch may hold (<see cref="SalesOptions.MaxBatch"/>).</summary>
    public const int PerBatch = 128;

    /// <summary>Batched orders' ids start here: far above any id handed out one at a time, within 40 bits (order numbers).</summary>
    public const long BatchedBase = 1L << 39;

    /// <summary>The first order id of batch number <paramref name="batch"/>.</summary>
    public static long FirstOf(long batch) => BatchedBase + (batch * PerBatch);

    /// <summary>The batch an order id belongs to, or null for an order placed on its own.</summary>
    public static long? BatchOf(long orderId) => orderId >= BatchedBase ? (orderId - BatchedBase) / PerBatch : null;
}
