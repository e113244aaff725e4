namespace Shop;

/// <summary>
/// The list of product ids behind the catalog and inventory listings. Only product creation and the
/// listings call it, never a checkout.
/// </summary>
[Alias("Shop.IProductCatalogGrain")]
public interface IProductCatalogGrain : IGrainWithIntegerKey
{
    Task AddAsync(long productId);

    // Listings interleave: they only read the id list, and a product being activated may list itself.
    [AlwaysInterleave]
    Task<Page<ProductView>> ListProductsAsync(PageRequest request);

    [AlwaysInterleave]
    Task<Page<InventoryLevel>> ListInventoryAsync(PageRequest request);
}
