namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class FlashSaleTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task AThousandBuyersOfAHundredUnitsGetExactlyAHundredOrders()
    {
        var product = await shop.CreateProductAsync(stock: 100);
        var buyers = await PrepareBuyersAsync(1000, _ => product.Id);

        var outcomes = await Task.WhenAll(buyers.Select(b => TryCheckoutAsync(b.UserId, b.AddressId)));

        var orders = outcomes.OfType<PlacedOrder>().ToList();
        var rejections = outcomes.OfType<InsufficientStockException>().ToList();
        var unexpected = outcomes.OfType<Exception>().Where(e => e is not InsufficientStockException).Select(e => e.ToString()).ToList();
        Assert.Empty(unexpected);
        Assert.Equal(100, orders.Count);
        Assert.Equal(900, rejections.Count);
        Assert.All(rejections, r => Assert.Matches(@"^Insufficient stock for 'T-Shirt Red - Medium'\. Available: 0, Requested: 1$", r.Message));
        Assert.Equal(100, orders.Select(o => o.Order.Id).Distinct().Count());
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
        var fulfilled = await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id);
        Assert.Equal(100, fulfilled.Count(e => e.Action == AuditActions.OrderFulfilled));
        Assert.Equal(100, fulfilled.Count);
    }

    [Fact]
    public async Task TwoThousandBuyersAcrossFiftyProductsSellEveryProductExactlyOut()
    {
        var products = new List<ProductDetails>();
        for (var i = 0; i < 50; i++)
        {
            products.Add(await shop.CreateProductAsync(stock: 20, name: $"Product {i}"));
        }

        // Forty buyers per product for twenty units each.
        var buyers = await PrepareBuyersAsync(2000, i => products[i % 50].Id);

        var outcomes = await Task.WhenAll(buyers.Select(b => TryCheckoutAsync(b.UserId, b.AddressId)));

        var unexpected = outcomes.OfType<Exception>().Where(e => e is not InsufficientStockException).Select(e => e.ToString()).ToList();
        Assert.Empty(unexpected);
        Assert.Equal(1000, outcomes.OfType<PlacedOrder>().Count());
        Assert.Equal(1000, outcomes.OfType<InsufficientStockException>().Count());
        foreach (var product in products)
        {
            Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
            var sold = outcomes.OfType<PlacedOrder>().Count(o => o.Order.Items[0].ProductId == product.Id);
            Assert.Equal(20, sold);
            Assert.Equal(20, (await shop.AuditAsync(AuditEntityTypes.Inventory, product.Id)).Count(e => e.Action == AuditActions.OrderFulfilled));
        }
    }

    [Fact]
    public async Task CartsOfSeveralProductsSellWholeOrNotAtAllWhenOneProductRunsOut()
    {
        // Every cart holds a plentiful product and a scarce one: carts sold together in one batch take the
        // plentiful one first, so a cart the scarce one cannot cover must give its first unit back.
        var plentiful = await shop.CreateProductAsync(stock: 100, name: "Plentiful");
        ProductDetails scarce;
        do
        {
            // Products are locked in id order; ids come in blocks per silo, so make sure of it.
            scarce = await shop.CreateProductAsync(stock: 10, name: "Scarce");
        }
        while (scarce.Id < plentiful.Id);

        var buyers = new (string UserId, long AddressId)[40];
        await Parallel.ForAsync(0, buyers.Length, async (i, _) =>
        {
            var (user, address) = await shop.ShopperWithCartAsync((plentiful.Id, 1), (scarce.Id, 1));
            buyers[i] = (user, address.Id);
        });

        var outcomes = await Task.WhenAll(buyers.Select(b => TryCheckoutAsync(b.UserId, b.AddressId)));

        var unexpected = outcomes.OfType<Exception>().Where(e => e is not InsufficientStockException).Select(e => e.ToString()).ToList();
        Assert.Empty(unexpected);
        var orders = outcomes.OfType<PlacedOrder>().ToList();
        Assert.Equal(10, orders.Count);
        Assert.All(orders, o => Assert.Equal([plentiful.Id, scarce.Id], o.Order.Items.Select(i => i.ProductId)));
        Assert.All(outcomes.OfType<InsufficientStockException>(), r => Assert.Equal("Insufficient stock for 'Scarce'. Available: 0, Requested: 1", r.Message));
        Assert.Equal(new InventoryLevel(plentiful.Id, 90, 0), await shop.Inventory(plentiful.Id).GetAsync());
        Assert.Equal(new InventoryLevel(scarce.Id, 0, 0), await shop.Inventory(scarce.Id).GetAsync());
        foreach (var (buyer, outcome) in buyers.Zip(outcomes))
        {
            // A refused buyer keeps both lines and has no order.
            var sold = outcome is PlacedOrder;
            Assert.Equal(sold ? 0 : 2, (await shop.Cart(buyer.UserId).GetAsync()).TotalItems);
            Assert.Equal(sold ? 1 : 0, (await shop.UserOrders(buyer.UserId).ListAsync(null, new PageRequest())).Total);
        }

        Assert.Equal(10, (await shop.AuditAsync(AuditEntityTypes.Inventory, plentiful.Id)).Count(e => e.Action == AuditActions.OrderFulfilled));
        Assert.Equal(10, (await shop.AuditAsync(AuditEntityTypes.Inventory, scarce.Id)).Count(e => e.Action == AuditActions.OrderFulfilled));
    }

    [Fact]
    public async Task ASoldOutProductSellsAgainTheMomentStockComesBack()
    {
        // After a sell-out, checkouts are answered from what the product's grain last saw commit; every
        // write that adds stock must end that answer before it commits, or buyers would be turned away
        // from stock that is there.
        var product = await shop.CreateProductAsync(stock: 2);
        var buyers = await PrepareBuyersAsync(6, _ => product.Id);

        var first = await Task.WhenAll(buyers.Take(3).Select(b => TryCheckoutAsync(b.UserId, b.AddressId)));
        Assert.Equal(2, first.OfType<PlacedOrder>().Count());
        Assert.Single(first.OfType<InsufficientStockException>());
        var sold = first.OfType<PlacedOrder>().First().Order;

        // A cancellation restores a unit: the next buyer gets it, the one after is told it is gone.
        await shop.Order(sold.Id).CancelAsync("changed my mind", new OrderAccess(sold.UserId, IsStaff: false));
        Assert.IsType<PlacedOrder>(await TryCheckoutAsync(buyers[3].UserId, buyers[3].AddressId));
        var refused = Assert.IsType<InsufficientStockException>(await TryCheckoutAsync(buyers[4].UserId, buyers[4].AddressId));
        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 0, Requested: 1", refused.Message);

        // So does a stock adjustment.
        await shop.Inventory(product.Id).AdjustAsync(new StockAdjustment(1, "found one", "staff"));
        Assert.IsType<PlacedOrder>(await TryCheckoutAsync(buyers[4].UserId, buyers[4].AddressId));
        Assert.IsType<InsufficientStockException>(await TryCheckoutAsync(buyers[5].UserId, buyers[5].AddressId));
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
    }

    private async Task<object> TryCheckoutAsync(string userId, long addressId)
    {
        try
        {
            return await shop.CheckoutAsync(userId, addressId);
        }
        catch (Exception exception)
        {
            return exception;
        }
    }

    private async Task<List<(string UserId, long AddressId)>> PrepareBuyersAsync(int count, Func<int, long> productFor)
    {
        var buyers = new (string, long)[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (i, _) =>
        {
            var (user, address) = await shop.ShopperWithCartAsync((productFor(i), 1));
            buyers[i] = (user, address.Id);
        });
        return [.. buyers];
    }
}
