namespace Shop.Grains;

/// <summary>The same key for the same request: the checkout already committed; the caller replays it.</summary>
[GenerateSerializer, Alias("Shop.Grains.CheckoutAlreadyRecordedException")]
public sealed class CheckoutAlreadyRecordedException(long orderId)
    : ShopException($"This checkout already created order {orderId}.")
{
    [Id(0)] public long OrderId { get; } = orderId;
}
