namespace Shop.Tests;

/// <summary>
/// Lone buyers sold from stock leases (the sales desk holding a product's units ahead, docs/stock-leases.md):
/// whatever else happens to the product meanwhile, every number a user sees stays exact.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StockLeaseTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task LoneBuyersSoldFromALeaseLeaveTheExactStockInTheAuditTrailAndTheInventory()
    {
        var product = await shop.CreateProductAsync(stock: 20);

        // One after another: the first asks the product for units (and some ahead), the next two take them.
        for (var i = 0; i < 3; i++)
        {
            var (buyer, address) = await shop.ShopperWithCartAsync((product.Id, 1));
            await shop.CheckoutAsync(buyer, address.Id);
        }

        var fulfilled = (await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id))
            .Where(e => e.Action == AuditActions.OrderFulfilled)
            .Select(e => e.Details[e.Details.IndexOf("Stock:", StringComparison.Ordinal)..])
            .Order()
            .ToList();
        Assert.Equal(["Stock: 17, Reserved: 0", "Stock: 18, Reserved: 0", "Stock: 19, Reserved: 0"], fulfilled);
        Assert.Equal(new InventoryLevel(product.Id, 17, 0), await shop.Inventory(product.Id).GetAsync());
    }

    [Fact]
    public async Task ACancellationWhileTheProductIsLeasedRestoresItsUnitsExactly()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (buyer, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var order = (await shop.CheckoutAsync(buyer, address.Id)).Order;

        await shop.Order(order.Id).CancelAsync("changed my mind", new OrderAccess(buyer, IsStaff: false));

        Assert.Equal(new InventoryLevel(product.Id, 10, 0), await shop.Inventory(product.Id).GetAsync());
        var (next, nextAddress) = await shop.ShopperWithCartAsync((product.Id, 10));
        Assert.Equal(10, Assert.Single((await shop.CheckoutAsync(next, nextAddress.Id)).Order.Items).Quantity);
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
    }

    [Fact]
    public async Task AnAdjustmentCountsTheUnitsALeaseHoldsButHasNotSold()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (buyer, address) = await shop.ShopperWithCartAsync((product.Id, 1));
        await shop.CheckoutAsync(buyer, address.Id);

        // Nine units are left, all of them in the desk's lease: all nine can be written off, not one more.
        await Assert.ThrowsAsync<ConflictException>(() => shop.Inventory(product.Id).AdjustAsync(new StockAdjustment(-10, "count", "staff")));
        var level = await shop.Inventory(product.Id).AdjustAsync(new StockAdjustment(-9, "damaged", "staff"));

        Assert.Equal(new InventoryLevel(product.Id, 0, 0), level);
        var (late, lateAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        var refusal = await Assert.ThrowsAsync<InsufficientStockException>(() => shop.CheckoutAsync(late, lateAddress.Id));
        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 0, Requested: 1", refusal.Message);
    }

    [Fact]
    public async Task UnitsHeldByALeaseAreSoldToACartOfSeveralProductsNotRefused()
    {
        var product = await shop.CreateProductAsync(stock: 3);
        var other = await shop.CreateProductAsync(stock: 5, name: "Other");
        var (first, firstAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        await shop.CheckoutAsync(first, firstAddress.Id);

        // The product's two remaining units are in the lease, none with the product's grain: a cart of
        // several products is sold from the grain's stock, which has them back once the lease is settled.
        var (second, secondAddress) = await shop.ShopperWithCartAsync((product.Id, 2), (other.Id, 1));
        var order = (await shop.CheckoutAsync(second, secondAddress.Id)).Order;

        Assert.Equal([(product.Id, 2), (other.Id, 1)], order.Items.Select(i => (i.ProductId, i.Quantity)));
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
        Assert.Equal(new InventoryLevel(other.Id, 4, 0), await shop.Inventory(other.Id).GetAsync());
        var stocks = (await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id))
            .Where(e => e.Action == AuditActions.OrderFulfilled)
            .Select(e => e.Details[e.Details.IndexOf("Stock:", StringComparison.Ordinal)..])
            .Order();
        Assert.Equal(["Stock: 0, Reserved: 0", "Stock: 2, Reserved: 0"], stocks);
    }

    [Fact]
    public async Task ACrowdArrivingWhileUnitsAreLeasedBuysThemAll()
    {
        var product = await shop.CreateProductAsync(stock: 12);
        var (first, firstAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        await shop.CheckoutAsync(first, firstAddress.Id);

        // Eleven left, most of them leased: the product's grain sells its crowd only after taking them back.
        var crowd = new List<(string User, AddressDetails Address)>();
        for (var i = 0; i < 12; i++)
        {
            crowd.Add(await shop.ShopperWithCartAsync((product.Id, 1)));
        }

        var inventory = shop.Inventory(product.Id);
        var outcomes = await Task.WhenAll(crowd.Select(b => inventory.SellAsync(new SaleRequest(
            b.User, $"key-{b.User}", "fingerprint", [new CartLine(product.Id, 1)], b.Address, b.Address, null, PaymentMethod.CreditCard, InCrowd: true))));

        Assert.Equal(11, outcomes.Count(o => o.Status == SaleStatus.Sold));
        var refusal = Assert.Single(outcomes, o => o.Status == SaleStatus.Rejected).Rejection;
        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 0, Requested: 1", refusal!.Message);
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await inventory.GetAsync());
    }
}

/// <summary>Leases go back to their products after a second without a sale (a minute by default).</summary>
public sealed class ForgetfulLeasesClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Sales:IdleLease"] = "00:00:01",
    };
}

/// <summary>
/// A lane's record holds every lease it has and is written whole by each batch selling from it, so a lease
/// nobody sells from goes back to its product, and the product sells on as before.
/// </summary>
public sealed class IdleLeaseTests(ForgetfulLeasesClusterFixture fixture) : IClassFixture<ForgetfulLeasesClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ALeaseNobodySellsFromGoesBackToItsProductWhichSellsOnExactly()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (first, firstAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        await shop.CheckoutAsync(first, firstAddress.Id);
        Assert.Equal(1, await LanesHoldingAsync(product.Id));

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (await LanesHoldingAsync(product.Id) > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, await LanesHoldingAsync(product.Id));
        Assert.Equal(new InventoryLevel(product.Id, 9, 0), await shop.Inventory(product.Id).GetAsync());
        var (next, nextAddress) = await shop.ShopperWithCartAsync((product.Id, 9));
        Assert.Equal(9, Assert.Single((await shop.CheckoutAsync(next, nextAddress.Id)).Order.Items).Quantity);
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
    }

    private Task<int> LanesHoldingAsync(long productId) => StockLanes.LeasesOfAsync(fixture.Grains, fixture.Transactions, [productId]);
}
