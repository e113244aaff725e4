namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class InventoryTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ReservingFulfillingAndReleasingKeepReservedWithinStock()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var inventory = shop.Inventory(product.Id);

        await InTransactionAsync(() => inventory.ReserveAsync(4, product.Name));
        Assert.Equal((10, 4, 6), Levels(await inventory.GetAsync()));

        await InTransactionAsync(() => inventory.FulfilAsync(3));
        Assert.Equal((7, 1, 6), Levels(await inventory.GetAsync()));

        await InTransactionAsync(() => inventory.ReleaseAsync(1));
        Assert.Equal((7, 0, 7), Levels(await inventory.GetAsync()));

        var overFulfil = await Assert.ThrowsAsync<ConflictException>(() => InTransactionAsync(() => inventory.FulfilAsync(1)));
        Assert.Contains("only 0 are reserved", overFulfil.Message, StringComparison.Ordinal);
        var overReserve = await Assert.ThrowsAsync<InsufficientStockException>(() => InTransactionAsync(() => inventory.ReserveAsync(8, product.Name)));
        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 7, Requested: 8", overReserve.Message);
        Assert.Equal((7, 0, 7), Levels(await inventory.GetAsync()));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(1_000_000_001)]
    public async Task QuantitiesOutsideTheRangeAreRejected(int quantity)
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var inventory = shop.Inventory(product.Id);

        await Assert.ThrowsAsync<ValidationException>(() => InTransactionAsync(() => inventory.ReserveAndFulfilAsync(quantity, product.Name)));
        await Assert.ThrowsAsync<ValidationException>(() => InTransactionAsync(() => inventory.RestoreAsync(quantity)));

        Assert.Equal((10, 0, 10), Levels(await inventory.GetAsync()));
    }

    [Fact]
    public async Task AdjustmentsMayNotTakeStockBelowZeroOrBelowWhatIsReserved()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var inventory = shop.Inventory(product.Id);
        await InTransactionAsync(() => inventory.ReserveAsync(4, product.Name));

        var level = await inventory.AdjustAsync(new StockAdjustment(-5, "damaged", "admin"));
        Assert.Equal((5, 4, 1), Levels(level));

        await Assert.ThrowsAsync<ConflictException>(() => inventory.AdjustAsync(new StockAdjustment(-2, "count", "admin")));
        await Assert.ThrowsAsync<ConflictException>(() => inventory.AdjustAsync(new StockAdjustment(-11, "count", "admin")));
        await Assert.ThrowsAsync<ConflictException>(() => inventory.AdjustAsync(new StockAdjustment(1_000_000_000, "delivery", "admin")));
        await Assert.ThrowsAsync<ValidationException>(() => inventory.AdjustAsync(new StockAdjustment(0, "nothing", "admin")));
        Assert.Equal((5, 4, 1), Levels(await inventory.GetAsync()));

        var audit = await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id);
        Assert.Equal("Adjusted stock by -5 (damaged). Stock: 5, Reserved: 4", Assert.Single(audit).Details);
    }

    [Fact]
    public async Task AdjustingAnUnknownProductIsNotFound()
    {
        var failure = await Assert.ThrowsAsync<NotFoundException>(
            () => shop.Inventory(987_654_321).AdjustAsync(new StockAdjustment(5, "delivery", "admin")));

        Assert.Equal("Product 987654321 not found.", failure.Message);
    }

    private static (int Stock, int Reserved, int Available) Levels(InventoryLevel level) => (level.Stock, level.Reserved, level.Available);

    private async Task InTransactionAsync(Func<Task> body)
    {
        try
        {
            await fixture.Transactions.RunTransaction(TransactionOption.Create, body);
        }
        catch (Exception exception) when (Shop.Grains.TransactionRunner.DomainFailure(exception) is { } domain)
        {
            throw domain;
        }
    }
}
