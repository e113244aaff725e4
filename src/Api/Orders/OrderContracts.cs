using Microsoft.AspNetCore.Mvc;
using Shop.Api.Addresses;
using Shop.Api.Products;
using Shop.Api.Validation;

namespace Shop.Api.Orders;

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
    string? CancellationReason)
{
    public static OrderResponse From(OrderDetails o) => new(
        o.Id, o.OrderNumber, o.UserId,
        WireNames.Of(o.Status), WireNames.Of(o.PaymentStatus), WireNames.Of(o.PaymentMethod),
        o.Subtotal, o.TaxAmount, o.ShippingAmount, o.DiscountAmount, o.TotalAmount,
        AddressResponse.From(o.ShippingAddress), AddressResponse.From(o.BillingAddress), o.Notes,
        [.. o.Items.Select(i => new OrderItemResponse(i.Id, i.ProductId, i.Sku, i.ProductName, ProductResponse.Sorted(i.Attributes), i.Quantity, i.UnitPrice, i.TotalPrice))],
        o.TotalItems, o.CreatedAt, o.UpdatedAt, o.CancelledAt, o.CancellationReason);
}

public sealed record OrderSummaryResponse(
    long Id,
    string OrderNumber,
    string Status,
    string PaymentStatus,
    decimal TotalAmount,
    int TotalItems,
    DateTime CreatedAt)
{
    public static OrderSummaryResponse From(OrderSummary o) =>
        new(o.Id, o.OrderNumber, WireNames.Of(o.Status), WireNames.Of(o.PaymentStatus), o.TotalAmount, o.TotalItems, o.CreatedAt);
}

public sealed record UpdateOrderRequest(string? Status, string? PaymentStatus) : IValidatable
{
    public OrderStatusUpdate ToUpdate() => new(
        Require.OptionalEnum<OrderStatus>(Status, "status"),
        Require.OptionalEnum<PaymentStatus>(PaymentStatus, "payment_status"));

    public void Validate()
    {
        if (Status is null && PaymentStatus is null)
        {
            throw new ValidationException("status", "Provide status, payment_status or both.");
        }

        ToUpdate();
    }
}

public sealed record MyOrdersQuery([property: FromQuery(Name = "status")] string? Status) : IValidatable
{
    public OrderStatus? ParsedStatus => Require.OptionalEnum<OrderStatus>(Status, "status");

    public void Validate() => _ = ParsedStatus;
}

public sealed record OrdersQuery(
    [property: FromQuery(Name = "status")] string? Status,
    [property: FromQuery(Name = "user_id")] string? UserId) : IValidatable
{
    public OrderStatus? ParsedStatus => Require.OptionalEnum<OrderStatus>(Status, "status");

    public void Validate()
    {
        _ = ParsedStatus;
        Require.OptionalText(UserId, "user_id", 128);
    }
}

public sealed record OrderStatisticsResponse(
    long TotalOrders,
    IReadOnlyDictionary<string, long> OrdersByStatus,
    decimal TotalRevenue,
    long UnitsSold,
    decimal AverageOrderValue)
{
    public static OrderStatisticsResponse From(OrderStatistics s) => new(
        s.TotalOrders,
        Enum.GetValues<OrderStatus>().ToDictionary(WireNames.Of, status => s.OrdersByStatus.GetValueOrDefault(status)),
        s.TotalRevenue, s.UnitsSold, s.AverageOrderValue);
}
