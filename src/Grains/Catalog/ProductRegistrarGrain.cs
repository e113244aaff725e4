namespace Shop.Grains;

[StatelessWorker]
public sealed class ProductRegistrarGrain(IdGenerator ids) : Grain, IProductRegistrarGrain
{
    public async Task<ProductView> CreateAsync(NewProduct product)
    {
        ProductRules.Validate(product);
        var id = await ids.NextAsync(IdSequence.Product);
        var details = await GrainFactory.GetGrain<IProductGrain>(id).CreateAsync(product);
        return new ProductView(details, product.InitialStock);
    }
}
