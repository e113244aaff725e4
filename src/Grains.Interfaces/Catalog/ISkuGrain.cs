namespace Shop;

/// <summary>Holds which product owns a SKU, so two products never share one. Keyed by the normalized SKU.</summary>
[Alias("Shop.ISkuGrain")]
public interface ISkuGrain : IGrainWithStringKey
{
    /// <summary>Claims the SKU for <paramref name="productId"/> and returns the owner afterwards.</summary>
    /// <remarks>
    /// A claim left by a creation that never finished (its product does not exist) is taken over, so a
    /// crash half-way through creating a product does not lock its SKU forever.
    /// </remarks>
    Task<long> ClaimAsync(long productId);
}
