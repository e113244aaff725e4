namespace Shop;

/// <summary>One order with its snapshots, status and payment status. Keyed by order id.</summary>
[Alias("Shop.IOrderGrain")]
public interface IOrderGrain : IGrainWithIntegerKey
{
    /// <summary>Stores a new order; only a checkout transaction calls this.</summary>
    [Transaction(TransactionOption.Join)]
    Task CreateAsync(OrderDetails order);

    /// <summary>
    /// The order as committed. Not part of a caller's transaction: the grain reads its state in one of its
    /// own when it does not know it (a read-only transaction stores its timestamp in the order's row) and
    /// from memory after that, until its next change.
    /// </summary>
    /// <exception cref="NotFoundException">No such order, or one the caller may not see.</exception>
    [Transaction(TransactionOption.Suppress)]
    Task<OrderDetails> GetAsync(OrderAccess access);

    /// <summary>Cancels a pending or processing order and restores every line's stock, in one transaction.</summary>
    Task<OrderDetails> CancelAsync(string? reason, OrderAccess access);

    /// <summary>Moves the order and/or its payment along their state machines, in one transaction.</summary>
    Task<OrderDetails> UpdateStatusAsync(OrderStatusUpdate update, OrderAccess access);
}
