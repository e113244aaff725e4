namespace Shop;

/// <summary>Reads the audit log (newest first). A stateless worker over the read model.</summary>
[Alias("Shop.IAuditLogGrain")]
public interface IAuditLogGrain : IGrainWithIntegerKey
{
    Task<Page<AuditEntry>> ListAsync(AuditQuery query);
}
