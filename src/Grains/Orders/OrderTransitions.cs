namespace Shop.Grains;

/// <summary>
/// The two state machines. Order: pending -> processing -> shipped -> delivered, and cancelled from
/// pending or processing. Payment: pending -> paid or failed, paid -> refunded.
/// </summary>
public static class OrderTransitions
{
    public static bool IsCancellable(OrderStatus status) => status is OrderStatus.Pending or OrderStatus.Processing;

    public static bool IsAllowed(OrderStatus from, OrderStatus to) => (from, to) switch
    {
        (OrderStatus.Pending, OrderStatus.Processing) => true,
        (OrderStatus.Processing, OrderStatus.Shipped) => true,
        (OrderStatus.Shipped, OrderStatus.Delivered) => true,
        (_, OrderStatus.Cancelled) => IsCancellable(from),
        _ => false,
    };

    public static bool IsAllowed(PaymentStatus from, PaymentStatus to) => (from, to) switch
    {
        (PaymentStatus.Pending, PaymentStatus.Paid) => true,
        (PaymentStatus.Pending, PaymentStatus.Failed) => true,
        (PaymentStatus.Paid, PaymentStatus.Refunded) => true,
        _ => false,
    };
}
