namespace Shop;

/// <summary>A committed checkout under an idempotency key.</summary>
[GenerateSerializer, Immutable, Alias("Shop.CheckoutRecord")]
public sealed record CheckoutRecord(string IdempotencyKey, string Fingerprint, long OrderId, DateTime CreatedAt);

/// <summary>One attempt (numbered from 1) of a checkout request, as the caller's retries number them.</summary>
[GenerateSerializer, Immutable, Alias("Shop.CheckoutAttempt")]
public sealed record CheckoutAttempt(Guid RequestId, int Number);

/// <summary>
/// A user's orders ("my orders", newest first) and the idempotency records of their checkouts, keyed by
/// user id. Both change inside the checkout transaction, so a committed order is always listed and its
/// key always recorded.
/// </summary>
[Alias("Shop.IUserOrdersGrain")]
public interface IUserOrdersGrain : IGrainWithStringKey
{
    /// <summary>Lists the order; records the key unless it is null.</summary>
    /// <exception cref="IdempotencyKeyReusedException">The key was recorded for a different request.</exception>
    /// <exception cref="CheckoutSupersededException">A later attempt of the same request superseded <paramref name="attempt"/>.</exception>
    [Transaction(TransactionOption.Join)]
    Task RecordCheckoutAsync(OrderSummary order, CheckoutRecord? record, CheckoutAttempt? attempt = null);

    [Transaction(TransactionOption.Join)]
    Task UpdateAsync(OrderSummary order);

    [Transaction(TransactionOption.CreateOrJoin), ReadOnly]
    Task<CheckoutRecord?> FindCheckoutAsync(string idempotencyKey);

    [Transaction(TransactionOption.CreateOrJoin), ReadOnly]
    Task<Page<OrderSummary>> ListAsync(OrderStatus? status, PageRequest page);
}
