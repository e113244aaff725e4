using System.Collections.Immutable;

namespace Shop;

/// <summary>An order line with the product as it was at checkout; <c>Id</c> is the line number within the order.</summary>
[GenerateSerializer, Immutable, Alias("Shop.OrderItem")]
public sealed record OrderItem(
    int Id,
    long ProductId,
    string Sku,
    string ProductName,
    ImmutableDictionary<string, string> Attributes,
    int Quantity,
    decimal UnitPrice)
{
    public decimal TotalPrice => UnitPrice * Quantity;
}

[GenerateSerializer, Immutable, Alias("Shop.OrderDetails")]
public sealed record OrderDetails(
    long Id,
    string OrderNumber,
    string UserId,
    OrderStatus Status,
    PaymentStatus PaymentStatus,
    PaymentMethod PaymentMethod,
    decimal Subtotal,
    decimal TaxAmount,
    decimal ShippingAmount,
    decimal DiscountAmount,
    decimal TotalAmount,
    AddressDetails ShippingAddress,
    AddressDetails BillingAddress,
    string? Notes,
    ImmutableArray<OrderItem> Items,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CancelledAt,
    string? CancellationReason,
    int Version)
{
    public int TotalItems => Items.Sum(i => i.Quantity);

    public OrderSummary ToSummary() =>
        new(Id, OrderNumber, UserId, Status, PaymentStatus, TotalAmount, TotalItems, CreatedAt, UpdatedAt, Version);
}

/// <summary>What order listings show. <c>Version</c> orders the summaries of one order as it changes.</summary>
[GenerateSerializer, Immutable, Alias("Shop.OrderSummary")]
public sealed record OrderSummary(
    long Id,
    string OrderNumber,
    string UserId,
    OrderStatus Status,
    PaymentStatus PaymentStatus,
    decimal TotalAmount,
    int TotalItems,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    int Version);

/// <summary>Who is asking: the owner sees their own orders; staff (with the permission) see every order.</summary>
[GenerateSerializer, Immutable, Alias("Shop.OrderAccess")]
public sealed record OrderAccess(string UserId, bool IsStaff)
{
    public bool CanSee(string ownerId) => IsStaff || string.Equals(ownerId, UserId, StringComparison.Ordinal);
}

[GenerateSerializer, Immutable, Alias("Shop.OrderStatusUpdate")]
public sealed record OrderStatusUpdate(OrderStatus? Status, PaymentStatus? PaymentStatus);

[GenerateSerializer, Immutable, Alias("Shop.OrderQuery")]
public sealed record OrderQuery(OrderStatus? Status, string? UserId, PageRequest Page);

[GenerateSerializer, Immutable, Alias("Shop.OrderStatistics")]
public sealed record OrderStatistics(
    long TotalOrders,
    ImmutableDictionary<OrderStatus, long> OrdersByStatus,
    decimal TotalRevenue,
    long UnitsSold,
    decimal AverageOrderValue);
