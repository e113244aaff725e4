namespace Shop.Grains;

[GenerateSerializer, Alias("shop.user-orders.v1")]
public sealed class UserOrdersState
{
    /// <summary>The user's orders, oldest first.</summary>
    [Id(0)] public List<OrderSummary> Orders { get; set; } = [];

    [Id(1)] public Dictionary<string, CheckoutRecord> Checkouts { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The same key for the same request: the checkout already committed; the caller replays it.</summary>
[GenerateSerializer, Alias("Shop.Grains.CheckoutAlreadyRecordedException")]
public sealed class CheckoutAlreadyRecordedException(long orderId)
    : ShopException($"This checkout already created order {orderId}.")
{
    [Id(0)] public long OrderId { get; } = orderId;
}

public sealed class UserOrdersGrain(
    [TransactionalState("user-orders", ShopStorage.Transactions)] ITransactionalState<UserOrdersState> state) : Grain, IUserOrdersGrain
{
    /// <summary>Idempotency records are kept this long (the contract promises at least 24 hours).</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(48);

    public Task RecordCheckoutAsync(OrderSummary order, CheckoutRecord? record) => state.PerformUpdate(s =>
    {
        if (record is not null)
        {
            if (s.Checkouts.TryGetValue(record.IdempotencyKey, out var known) && known.CreatedAt > DateTime.UtcNow - Retention)
            {
                throw known.Fingerprint == record.Fingerprint
                    ? new CheckoutAlreadyRecordedException(known.OrderId)
                    : new IdempotencyKeyReusedException();
            }

            Prune(s.Checkouts);
            s.Checkouts[record.IdempotencyKey] = record;
        }

        s.Orders.Add(order);
    });

    public Task UpdateAsync(OrderSummary order) => state.PerformUpdate(s =>
    {
        var index = s.Orders.FindLastIndex(o => o.Id == order.Id);
        if (index >= 0 && s.Orders[index].Version < order.Version)
        {
            s.Orders[index] = order;
        }
    });

    public Task<CheckoutRecord?> FindCheckoutAsync(string idempotencyKey) => state.PerformRead(s =>
        s.Checkouts.TryGetValue(idempotencyKey, out var record) && record.CreatedAt > DateTime.UtcNow - Retention ? record : null);

    public Task<Page<OrderSummary>> ListAsync(OrderStatus? status, PageRequest page)
    {
        page.Validate();
        return state.PerformRead(s =>
        {
            var matches = Enumerable.Reverse(s.Orders).Where(o => status is not { } wanted || o.Status == wanted).ToList();
            return Page.Slice(matches, matches.Count, page);
        });
    }

    private static void Prune(Dictionary<string, CheckoutRecord> checkouts)
    {
        var cutoff = DateTime.UtcNow - Retention;
        foreach (var (key, record) in checkouts)
        {
            if (record.CreatedAt < cutoff)
            {
                checkouts.Remove(key);
            }
        }
    }
}
