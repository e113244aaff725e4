namespace Shop.Grains;

[GenerateSerializer, Alias("shop.product.v1")]
public sealed class ProductState
{
    [Id(0)] public ProductDetails? Product { get; set; }

    /// <summary>Whether the catalog listing has the product yet; creation adds it last.</summary>
    [Id(1)] public bool Listed { get; set; }
}

public sealed class ProductGrain(
    [PersistentState("product", ShopStorage.State)] IPersistentState<ProductState> state,
    TransactionRunner transactions) : Grain, IProductGrain
{
    private long ProductId => this.GetPrimaryKeyLong();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // A creation interrupted after the product was stored but before it was listed finishes here.
        if (state.State.Product is not null && !state.State.Listed)
        {
            await ListAsync();
        }
    }

    public async Task<ProductDetails> CreateAsync(NewProduct product)
    {
        ProductRules.Validate(product);
        if (state.State.Product is not null)
        {
            throw new ConflictException($"Product {ProductId} already exists.");
        }

        var sku = ProductRules.NormalizeSku(product.Sku);
        var owner = await GrainFactory.GetGrain<ISkuGrain>(sku).ClaimAsync(ProductId);
        if (owner != ProductId)
        {
            throw new ConflictException($"A product with SKU '{sku}' already exists.");
        }

        // Stock first, product second: a crash in between leaves an unused id and a SKU claim that the
        // next attempt takes over, never a product without its initial stock.
        var inventory = GrainFactory.GetGrain<IInventoryGrain>(ProductId);
        await transactions.RunAsync("initializing stock", async () =>
        {
            await inventory.InitializeAsync(product.InitialStock);
            return true;
        });

        var now = DateTime.UtcNow;
        state.State.Product = new ProductDetails(ProductId, sku, product.Name.Trim(), product.Price, product.Attributes, now, now);
        await state.WriteStateAsync();
        await ListAsync();
        return state.State.Product;
    }

    public async Task<ProductDetails> UpdateAsync(ProductChanges changes)
    {
        var current = await GetAsync();
        ProductRules.Validate(changes);
        state.State.Product = current with
        {
            Name = changes.Name?.Trim() ?? current.Name,
            Price = changes.Price ?? current.Price,
            Attributes = changes.Attributes ?? current.Attributes,
            UpdatedAt = DateTime.UtcNow,
        };
        await state.WriteStateAsync();
        await GrainFactory.GetGrain<IInventoryGrain>(ProductId).ProductChangedAsync();
        return state.State.Product;
    }

    public Task<ProductDetails> GetAsync() =>
        state.State.Product is { } product ? Task.FromResult(product) : throw new NotFoundException("Product", ProductId);

    public Task<ProductDetails?> FindAsync() => Task.FromResult(state.State.Product);

    public async Task<ProductView> GetViewAsync()
    {
        var product = await GetAsync();
        var level = await GrainFactory.GetGrain<IInventoryGrain>(ProductId).GetAsync();
        return new ProductView(product, level.Available);
    }

    private async Task ListAsync()
    {
        await GrainFactory.GetGrain<IProductCatalogGrain>(0).AddAsync(ProductId);
        state.State.Listed = true;
        await state.WriteStateAsync();
    }
}
