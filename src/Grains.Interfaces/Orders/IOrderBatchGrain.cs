using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// The orders one batched sale created, as they were born, keyed by the batch's number (its order ids are
/// one aligned range, so an order id names its batch). The batch's transaction writes them here once,
/// one participant for all its buyers instead of one per order; each <see cref="IOrderGrain"/> reads its
/// order from here until its first change, which it writes to its own state.
/// </summary>
[Alias("Shop.IOrderBatchGrain")]
public interface IOrderBatchGrain : IGrainWithIntegerKey
{
    /// <summary>
    /// Joins the batch's transaction as its first writer, before any product, so that this grain manages the
    /// transaction (Orleans makes the first participant that writes its manager): see <see cref="RecordAsync"/>
    /// for who may call it. Records no orders yet.
    /// </summary>
    [Transaction(TransactionOption.Join)]
    Task OpenAsync();

    /// <summary>
    /// Stores the batch's new orders; only the batch's own transaction calls this (each attempt of it, until one
    /// commits). Answers the ids among them that <see cref="ResolveAsync"/> voided: the batch must leave those
    /// buyers out (their carts took their lines back).
    /// </summary>
    [Transaction(TransactionOption.Join)]
    Task<ImmutableArray<long>> RecordAsync(ImmutableArray<OrderDetails> orders);

    /// <summary>
    /// The final word on an order a cart is waiting for (<see cref="ICartGrain.TakeForBatchAsync"/>): the order,
    /// if the batch committed it; otherwise null, and the id is voided in a transaction of the grain's own, so
    /// that no attempt of the batch can commit it afterwards. Ordered with the batch's own transaction like any
    /// write: it sees the order if the batch committed first, and the batch sees the void if it came first.
    /// </summary>
    [Transaction(TransactionOption.Suppress)]
    Task<OrderDetails?> ResolveAsync(long orderId);

    /// <summary>
    /// The order as the batch created it, or null when the batch has committed none with that id. Not
    /// part of the caller's transaction: a batch's orders never change once committed, so the grain reads
    /// them in a transaction of its own once and answers from memory after that (a read in the caller's
    /// transaction would store its timestamp in the batch's row, one write per order viewed).
    /// </summary>
    [Transaction(TransactionOption.Suppress)]
    Task<OrderDetails?> FindAsync(long orderId);
}
