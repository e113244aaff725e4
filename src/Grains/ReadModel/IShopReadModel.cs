namespace Shop.Grains;

/// <summary>
/// The query side: every order's summary and the audit log, fed by the outbox lanes after their
/// transactions commit. <see cref="ApplyAsync"/> is idempotent (audit entries by event id, summaries by
/// version), because a lane that fails half-way projects the same batch again.
/// </summary>
public interface IShopReadModel
{
    Task ApplyAsync(IReadOnlyList<OutboxBatch> batches, CancellationToken cancellationToken = default);

    Task<Page<OrderSummary>> ListOrdersAsync(OrderQuery query, CancellationToken cancellationToken = default);

    Task<OrderStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default);

    Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
