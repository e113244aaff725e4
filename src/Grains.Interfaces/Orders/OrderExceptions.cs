namespace Shop;

[GenerateSerializer, Alias("Shop.OrderNotCancellableException")]
public sealed class OrderNotCancellableException(OrderStatus status) : ConflictException(
    $"Order with status '{WireNames.Of(status)}' cannot be cancelled. Only pending or processing orders can be cancelled.")
{
    [Id(0)] public OrderStatus Status { get; } = status;
}

[GenerateSerializer, Alias("Shop.InvalidStatusTransitionException")]
public sealed class InvalidStatusTransitionException(OrderStatus from, OrderStatus to)
    : ConflictException($"Cannot change order status from '{WireNames.Of(from)}' to '{WireNames.Of(to)}'.")
{
    [Id(0)] public OrderStatus From { get; } = from;

    [Id(1)] public OrderStatus To { get; } = to;
}

[GenerateSerializer, Alias("Shop.InvalidPaymentTransitionException")]
public sealed class InvalidPaymentTransitionException(PaymentStatus from, PaymentStatus to)
    : ConflictException($"Cannot change payment status from '{WireNames.Of(from)}' to '{WireNames.Of(to)}'.")
{
    [Id(0)] public PaymentStatus From { get; } = from;

    [Id(1)] public PaymentStatus To { get; } = to;
}
