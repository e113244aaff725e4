using System.Globalization;

namespace Shop.Grains;

/// <summary>The audit trail's entries, with the contract's detail texts.</summary>
public static class AuditTexts
{
    public static AuditRecord OrderCreated(OrderDetails order) =>
        Record(AuditActions.Create, AuditEntityTypes.Order, order.Id, order.UserId, order.UpdatedAt,
            $"Order {order.OrderNumber} created with {order.TotalItems} items");

    public static AuditRecord OrderFulfilled(OrderDetails order, OrderItem item, InventoryLevel level) =>
        Record(AuditActions.OrderFulfilled, AuditEntityTypes.Inventory, item.ProductId, order.UserId, order.UpdatedAt,
            $"Fulfilled {item.Quantity} units for order {order.OrderNumber}. Stock: {level.Stock}, Reserved: {level.Reserved}");

    public static AuditRecord StockRestored(OrderDetails order, OrderItem item, string userId) =>
        Record(AuditActions.StockRestored, AuditEntityTypes.Inventory, item.ProductId, userId, order.UpdatedAt,
            $"Restored {item.Quantity} units from cancelled order {order.OrderNumber}");

    public static AuditRecord StockAdjusted(long productId, StockAdjustment adjustment, InventoryLevel level, DateTime at) =>
        Record(AuditActions.StockAdjusted, AuditEntityTypes.Inventory, productId, adjustment.UserId, at,
            $"Adjusted stock by {adjustment.Delta} ({adjustment.Reason}). Stock: {level.Stock}, Reserved: {level.Reserved}");

    public static AuditRecord StatusChanged(OrderDetails before, OrderDetails after, string userId) =>
        Record(AuditActions.StatusChanged, AuditEntityTypes.Order, after.Id, userId, after.UpdatedAt,
            $"Order {after.OrderNumber} status {WireNames.Of(before.Status)} -> {WireNames.Of(after.Status)}");

    public static AuditRecord PaymentStatusChanged(OrderDetails before, OrderDetails after, string userId) =>
        Record(AuditActions.PaymentStatusChanged, AuditEntityTypes.Order, after.Id, userId, after.UpdatedAt,
            $"Order {after.OrderNumber} payment status {WireNames.Of(before.PaymentStatus)} -> {WireNames.Of(after.PaymentStatus)}");

    public static AuditRecord Cancelled(OrderDetails order, string userId) =>
        Record(AuditActions.Cancelled, AuditEntityTypes.Order, order.Id, userId, order.UpdatedAt,
            $"Order {order.OrderNumber} cancelled{(order.CancellationReason is { Length: > 0 } reason ? ": " + reason : "")}");

    private static AuditRecord Record(string action, string entityType, long entityId, string userId, DateTime at, FormattableString details) =>
        new(Guid.NewGuid(), action, entityType, entityId, details.ToString(CultureInfo.InvariantCulture), userId, at);
}
