namespace Shop.Grains;

/// <summary>
/// The read model of the embedded, single-process run: it lives in the silo's memory and is gone when
/// the process stops (as is all state of that run). Durable deployments use the PostgreSQL read model.
/// </summary>
public sealed class InMemoryShopReadModel : IShopReadModel
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, OrderSummary> orders = [];
    private readonly HashSet<Guid> projectedEvents = [];
    private readonly List<AuditEntry> audit = [];
    private readonly OrderStatisticsBuilder statistics = new();

    public Task ApplyAsync(IReadOnlyList<OutboxBatch> batches, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            foreach (var batch in batches)
            {
                foreach (var order in batch.Orders)
                {
                    Upsert(order);
                }

                foreach (var record in batch.Audit)
                {
                    if (projectedEvents.Add(record.EventId))
                    {
                        audit.Add(new AuditEntry(audit.Count + 1, record.Action, record.EntityType, record.EntityId, record.Details, record.UserId, record.CreatedAt));
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<Page<OrderSummary>> ListOrdersAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matches = orders.Values
                .Where(o => query.Status is not { } status || o.Status == status)
                .Where(o => query.UserId is null || o.UserId == query.UserId)
                .OrderByDescending(o => o.CreatedAt)
                .ThenByDescending(o => o.Id)
                .ToList();
            return Task.FromResult(Page.Slice(matches, matches.Count, query.Page));
        }
    }

    public Task<OrderStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            return Task.FromResult(statistics.Build());
        }
    }

    public Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        lock (gate)
        {
            var matches = Enumerable.Reverse(audit)
                .Where(e => query.EntityType is null || e.EntityType == query.EntityType)
                .Where(e => query.EntityId is not { } id || e.EntityId == id)
                .Where(e => query.Action is null || e.Action == query.Action)
                .OrderByDescending(e => e.CreatedAt)
                .ThenByDescending(e => e.Id)
                .ToList();
            return Task.FromResult(Page.Slice(matches, matches.Count, query.Page));
        }
    }

    private void Upsert(OrderSummary order)
    {
        if (orders.TryGetValue(order.Id, out var known))
        {
            if (known.Version >= order.Version)
            {
                return;
            }

            statistics.Remove(known);
        }

        orders[order.Id] = order;
        statistics.Add(order);
    }
}
