namespace Shop.Grains;

[GenerateSerializer, Alias("shop.catalog.v1")]
public sealed class ProductCatalogState
{
    /// <summary>Product ids in ascending order (which is creation order).</summary>
    [Id(0)] public List<long> ProductIds { get; set; } = [];
}

public sealed class ProductCatalogGrain(
    [PersistentState("catalog", ShopStorage.State)] IPersistentState<ProductCatalogState> state) : Grain, IProductCatalogGrain
{
    public async Task AddAsync(long productId)
    {
        var ids = state.State.ProductIds;
        var index = ids.BinarySearch(productId);
        if (index >= 0)
        {
            return;
        }

        ids.Insert(~index, productId);
        await state.WriteStateAsync();
    }

    public async Task<Page<ProductView>> ListProductsAsync(PageRequest request)
    {
        request.Validate();
        var views = await Task.WhenAll(PageOfIds(request).Select(id => GrainFactory.GetGrain<IProductGrain>(id).GetViewAsync()));
        return new Page<ProductView>(views, state.State.ProductIds.Count, request.Page, request.Limit);
    }

    public async Task<Page<InventoryLevel>> ListInventoryAsync(PageRequest request)
    {
        request.Validate();
        var levels = await Task.WhenAll(PageOfIds(request).Select(id => GrainFactory.GetGrain<IInventoryGrain>(id).GetAsync()));
        return new Page<InventoryLevel>(levels, state.State.ProductIds.Count, request.Page, request.Limit);
    }

    private IEnumerable<long> PageOfIds(PageRequest request) =>
        state.State.ProductIds.Skip(request.Skip).Take(request.Limit);
}
