namespace Shop.Grains;

[StatelessWorker]
public sealed class AuditLogGrain(IShopReadModel readModel) : Grain, IAuditLogGrain
{
    public Task<Page<AuditEntry>> ListAsync(AuditQuery query)
    {
        query.Page.Validate();
        return readModel.ListAuditAsync(query);
    }
}
