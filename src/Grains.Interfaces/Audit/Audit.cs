namespace Shop;

public static class AuditActions
{
    public const string Create = "CREATE";
    public const string OrderFulfilled = "ORDER_FULFILLED";
    public const string StockRestored = "STOCK_RESTORED";
    public const string StockAdjusted = "STOCK_ADJUSTED";
    public const string StatusChanged = "STATUS_CHANGED";
    public const string Cancelled = "CANCELLED";
    public const string PaymentStatusChanged = "PAYMENT_STATUS_CHANGED";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Create, OrderFulfilled, StockRestored, StockAdjusted, StatusChanged, Cancelled, PaymentStatusChanged,
    };
}

public static class AuditEntityTypes
{
    public const string Order = "Order";
    public const string Inventory = "Inventory";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Order, Inventory };
}

/// <summary>
/// An audit entry as a transaction writes it. <c>EventId</c> makes projecting it idempotent: the read
/// model keeps one entry per event however often the projection is retried.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.AuditRecord")]
public sealed record AuditRecord(
    Guid EventId,
    string Action,
    string EntityType,
    long EntityId,
    string Details,
    string UserId,
    DateTime CreatedAt);

/// <summary>An audit entry as the audit log lists it, numbered in the order the log received it.</summary>
[GenerateSerializer, Immutable, Alias("Shop.AuditEntry")]
public sealed record AuditEntry(
    long Id,
    string Action,
    string EntityType,
    long EntityId,
    string Details,
    string UserId,
    DateTime CreatedAt);

[GenerateSerializer, Immutable, Alias("Shop.AuditQuery")]
public sealed record AuditQuery(string? EntityType, long? EntityId, string? Action, PageRequest Page);
