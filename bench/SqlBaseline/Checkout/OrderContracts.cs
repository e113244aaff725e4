using Shop.SqlBaseline.Customers;

namespace Shop.SqlBaseline.Checkout;

public sealed record CheckoutRequest(long? ShippingAddressId, long? BillingAddressId, string? Notes, string? PaymentMethod);

public sealed record OrderItemResponse(
    int Id,
    long ProductId,
    string Sku,
    string ProductName,
    IReadOnlyDictionary<string, string> Attributes,
    int Quantity,
    decimal UnitPrice,
    decimal TotalPrice);

public sealed record OrderResponse(
    long Id,
    string OrderNumber,
    string UserId,
    string Status,
    string PaymentStatus,
    string PaymentMethod,
    decimal Subtotal,
    decimal TaxAmount,
    decimal ShippingAmount,
    decimal DiscountAmount,
    decimal TotalAmount,
    AddressResponse ShippingAddress,
    AddressResponse BillingAddress,
    string? Notes,
    IReadOnlyList<OrderItemResponse> Items,
    int TotalItems,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CancelledAt,
    string? CancellationReason);

/// <summary>How a checkout ended: a new order, the order an earlier request with the same key placed, or a rejection.</summary>
public abstract record CheckoutOutcome
{
    public sealed record Placed(OrderResponse Order) : CheckoutOutcome;

    public sealed record Replayed(OrderResponse Order) : CheckoutOutcome;

    public sealed record Rejected(int Status, string Detail) : CheckoutOutcome;
}
