using Microsoft.Extensions.Options;

namespace Shop.Grains;

[StatelessWorker]
public sealed class OrderIndexGrain(IShopReadModel readModel, IOptions<OutboxOptions> outbox) : Grain, IOrderIndexGrain
{
    public Task<Page<OrderSummary>> ListAsync(OrderQuery query)
    {
        query.Page.Validate();
        return readModel.ListOrdersAsync(query);
    }

    public Task<OrderStatistics> GetStatisticsAsync() => readModel.GetStatisticsAsync();

    public Task CatchUpAsync() =>
        Task.WhenAll(Enumerable.Range(0, outbox.Value.Lanes).Select(lane => GrainFactory.GetGrain<IOutboxGrain>(lane).FlushAsync()));
}
