using System.Collections.Immutable;

namespace Shop.Grains;

/// <summary>A buyer's cart did not hold exactly what the sale was for.</summary>
[GenerateSerializer, Alias("Shop.Grains.CartChangedException")]
public sealed class CartChangedException() : ShopException("The cart changed since the checkout began.");

[GenerateSerializer, Immutable, Alias("Shop.Grains.BuyerFailure")]
public sealed record BuyerFailure(string UserId, ShopException Failure);

/// <summary>
/// Some buyers of a batch could not be sold to (their cart changed, their key was used before); the
/// batch aborts and is sold again without them, so one buyer's problem never fails the others.
/// </summary>
[GenerateSerializer, Alias("Shop.Grains.BatchBuyerFailures")]
public sealed class BatchBuyerFailures(ImmutableArray<BuyerFailure> failures)
    : ShopException($"{failures.Length} buyers of the batch could not be sold to.")
{
    [Id(0)] public ImmutableArray<BuyerFailure> Failures { get; } = failures;
}
