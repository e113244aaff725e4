namespace Shop;

/// <summary>
/// Reads the order index: every order's summary, for the admin listing and the statistics. A stateless
/// worker over the read model that the outbox lanes keep up to date (a second behind the orders at most).
/// </summary>
[Alias("Shop.IOrderIndexGrain")]
public interface IOrderIndexGrain : IGrainWithIntegerKey
{
    Task<Page<OrderSummary>> ListAsync(OrderQuery query);

    Task<OrderStatistics> GetStatisticsAsync();

    /// <summary>Projects every outbox lane now, so the index and the audit log reflect every commit so far.</summary>
    Task CatchUpAsync();
}
