namespace Shop;

/// <summary>One product's catalog data (sku, name, price, attributes). Keyed by product id.</summary>
[Alias("Shop.IProductGrain")]
public interface IProductGrain : IGrainWithIntegerKey
{
    /// <summary>Creates the product with its initial stock; a duplicate SKU is a <see cref="ConflictException"/>.</summary>
    Task<ProductDetails> CreateAsync(NewProduct product);

    /// <exception cref="NotFoundException">The product does not exist.</exception>
    Task<ProductDetails> UpdateAsync(ProductChanges changes);

    /// <exception cref="NotFoundException">The product does not exist.</exception>
    Task<ProductDetails> GetAsync();

    /// <summary>The product with the stock available now.</summary>
    /// <exception cref="NotFoundException">The product does not exist.</exception>
    Task<ProductView> GetViewAsync();

    /// <summary>The product, or null when no product has this id.</summary>
    Task<ProductDetails?> FindAsync();
}
