using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// A user's cart, keyed by user id. Transactional, because checkout clears it in the same transaction
/// that takes the stock: a cart in plain persistent state would stay cleared when a checkout aborts.
/// The cart runs its own changes as transactions and so knows its committed lines, which it answers
/// without a transaction; a checkout that took the lines makes it read them again.
/// </summary>
[Alias("Shop.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    Task<CartView> GetAsync();

    /// <summary>
    /// The committed lines, for routing a checkout (a transaction re-checks them), the checkout recorded
    /// under <paramref name="recordKey"/>, if any, and the user's addresses the order ships and bills to.
    /// Answered from memory unless a checkout took the cart since.
    /// </summary>
    /// <exception cref="NotFoundException">The user has no address with one of the ids.</exception>
    Task<CheckoutStart> StartCheckoutAsync(string? recordKey, long shippingAddressId, long billingAddressId);

    /// <summary>Adds to the line's quantity (1..1000 per request and per line).</summary>
    Task<CartView> AddItemAsync(long productId, int quantity);

    /// <summary>Sets the line's quantity; 0 removes the line.</summary>
    Task<CartView> SetQuantityAsync(long productId, int quantity);

    Task<CartView> RemoveItemAsync(long productId);

    Task ClearAsync();

    /// <summary>Empties the cart for a checkout and returns what it held.</summary>
    /// <exception cref="EmptyCartException">The cart has no lines.</exception>
    [Transaction(TransactionOption.Join)]
    Task<ImmutableArray<CartLine>> TakeForCheckoutAsync();

    /// <summary>
    /// A checkout whose order is known before the cart is taken (a batched single-product sale): records
    /// the key (refusing one already recorded), empties the cart and books the order in one update, and
    /// returns what the cart held.
    /// </summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was recorded for a different request.</exception>
    /// <exception cref="CheckoutSupersededException">A later attempt of the same request superseded <paramref name="attempt"/>.</exception>
    /// <exception cref="EmptyCartException">The cart has no lines.</exception>
    [Transaction(TransactionOption.Join)]
    Task<ImmutableArray<CartLine>> TakeAndBookAsync(OrderSummary order, CheckoutRecord record, CheckoutAttempt? attempt = null);

    /// <summary>
    /// A crowd batch's buyer, before the batch's transaction (the cart is not one of its participants): checks the
    /// key and the fence as <see cref="TakeAndBookAsync"/> does, and that the lines are <paramref name="checkout"/>'s,
    /// then durably notes that it waits on the order (one plain row, no transaction) and answers the lines. Until
    /// the cart settles the order with the batch (at its next use, through <see cref="IOrderBatchGrain.ResolveAsync"/>,
    /// or when told <see cref="ReturnFromBatchAsync"/>), it answers as the batch's outcome says: the order booked
    /// and the lines gone if the batch committed it, the cart as it was if not. Taking again for the same order
    /// (the batch sold again) answers the same lines; a cart whose lines are not <paramref name="checkout"/>'s is
    /// refused (the checkout goes the general way).
    /// </summary>
    [Transaction(TransactionOption.Suppress)]
    Task<ImmutableArray<CartLine>> TakeForBatchAsync(BatchCheckout checkout, CheckoutAttempt? attempt = null);

    /// <summary>The batch committed without this cart's order (it did not fit the stock): the cart no longer waits on it.</summary>
    [Transaction(TransactionOption.Suppress)]
    Task ReturnFromBatchAsync(long orderId);

    /// <summary>
    /// A retry's first step: from now on the attempts of the request numbered below <paramref name="attempt"/>'s
    /// cannot book this cart (a batch still holding one leaves that buyer out). Runs as a transaction of
    /// the cart's own, so it waits for an earlier attempt that already took the cart to commit or abort,
    /// and a <see cref="StartCheckoutAsync"/> after it sees that attempt's record if it committed.
    /// </summary>
    Task SupersedeAsync(CheckoutAttempt attempt);
}

/// <summary>
/// A cart's order waiting on a crowd batch: the order (as the batch builds it), the key's record, and the lines
/// it takes from the cart if the batch commits it.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.BatchCheckout")]
public sealed record BatchCheckout(OrderSummary Order, CheckoutRecord Record, ImmutableArray<CartLine> Lines);
