namespace Shop.Grains;

[GenerateSerializer, Alias("shop.sku.v1")]
public sealed class SkuState
{
    [Id(0)] public long ProductId { get; set; }
}

public sealed class SkuGrain(
    [PersistentState("sku", ShopStorage.State)] IPersistentState<SkuState> state) : Grain, ISkuGrain
{
    public async Task<long> ClaimAsync(long productId)
    {
        var owner = state.State.ProductId;
        if (owner == productId)
        {
            return owner;
        }

        if (owner != 0 && await GrainFactory.GetGrain<IProductGrain>(owner).FindAsync() is not null)
        {
            return owner;
        }

        state.State.ProductId = productId;
        await state.WriteStateAsync();
        return productId;
    }
}
