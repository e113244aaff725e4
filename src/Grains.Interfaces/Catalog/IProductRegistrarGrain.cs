namespace Shop;

/// <summary>Creates products: numbers them and hands each to its own <see cref="IProductGrain"/>.</summary>
[Alias("Shop.IProductRegistrarGrain")]
public interface IProductRegistrarGrain : IGrainWithIntegerKey
{
    /// <exception cref="ValidationException">The product is not valid.</exception>
    /// <exception cref="ConflictException">Another product has the SKU.</exception>
    Task<ProductView> CreateAsync(NewProduct product);
}
