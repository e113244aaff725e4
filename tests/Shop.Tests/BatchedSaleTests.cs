using Shop.Grains;

namespace Shop.Tests;

/// <summary>The hot path: single-product checkouts sold by the product's inventory grain in batches.</summary>
[Collection(ClusterCollection.Name)]
public sealed class BatchedSaleTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task ASoldOutProductAnswersWithTheCommittedStockAndChangesNothing()
    {
        var product = await shop.CreateProductAsync(stock: 2);
        var (first, firstAddress) = await shop.ShopperWithCartAsync((product.Id, 2));
        var (late, lateAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        await shop.CheckoutAsync(first, firstAddress.Id);

        var failure = await Assert.ThrowsAsync<InsufficientStockException>(() => shop.CheckoutAsync(late, lateAddress.Id));

        Assert.Equal("Insufficient stock for 'T-Shirt Red - Medium'. Available: 0, Requested: 1", failure.Message);
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
        Assert.Equal(1, (await shop.Cart(late).GetAsync()).TotalItems);
        Assert.Equal(0, (await shop.UserOrders(late).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task StockRestoredByACancellationIsSoldAgain()
    {
        var product = await shop.CreateProductAsync(stock: 1);
        var (first, firstAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        var (second, secondAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        var order = (await shop.CheckoutAsync(first, firstAddress.Id)).Order;
        await Assert.ThrowsAsync<InsufficientStockException>(() => shop.CheckoutAsync(second, secondAddress.Id));

        await shop.Order(order.Id).CancelAsync("changed my mind", new OrderAccess(first, IsStaff: false));

        var resold = (await shop.CheckoutAsync(second, secondAddress.Id)).Order;
        Assert.Equal(product.Id, Assert.Single(resold.Items).ProductId);
        Assert.Equal(new InventoryLevel(product.Id, 0, 0), await shop.Inventory(product.Id).GetAsync());
    }

    [Fact]
    public async Task OneBuyersChangedCartDoesNotFailTheOthersInItsBatch()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var buyers = new List<(string User, AddressDetails Address)>();
        for (var i = 0; i < 8; i++)
        {
            buyers.Add(await shop.ShopperWithCartAsync((product.Id, 1)));
        }

        var inventory = shop.Inventory(product.Id);
        SaleRequest Sale(int buyer, int quantity) => new(
            buyers[buyer].User, $"key-{buyers[buyer].User}", "fingerprint", [new CartLine(product.Id, quantity)],
            buyers[buyer].Address, buyers[buyer].Address, null, PaymentMethod.CreditCard, InCrowd: true);

        // Buyer 3 claims two units, but the cart holds one: the sale is sent back to be checked out the general way.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => inventory.SellAsync(Sale(i, i == 3 ? 2 : 1))));

        Assert.Equal(SaleStatus.Reroute, outcomes[3].Status);
        Assert.All(outcomes.Where((_, i) => i != 3), o => Assert.Equal(SaleStatus.Sold, o.Status));
        Assert.Equal(new InventoryLevel(product.Id, 3, 0), await inventory.GetAsync());
        Assert.Equal(1, (await shop.Cart(buyers[3].User).GetAsync()).TotalItems);
        Assert.Equal(0, (await shop.UserOrders(buyers[3].User).ListAsync(null, new PageRequest())).Total);
        Assert.Equal(0, (await shop.Cart(buyers[0].User).GetAsync()).TotalItems);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task TwoCheckoutsOfOneUserInACrowdSellTheirCartOnce(bool sameKey)
    {
        var product = await shop.CreateProductAsync(stock: 20);
        var buyers = new List<(string User, AddressDetails Address)>();
        for (var i = 0; i < 8; i++)
        {
            buyers.Add(await shop.ShopperWithCartAsync((product.Id, 1)));
        }

        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var inventory = shop.Inventory(product.Id);
        SaleRequest Sale(string buyer, AddressDetails at, int quantity, string key) => new(
            buyer, key, "fingerprint", [new CartLine(product.Id, quantity)], at, at, null, PaymentMethod.CreditCard, InCrowd: true);

        // A retry sent while the first attempt still waits (same key), or a double click (two keys), among
        // other buyers: the product's grain gets both while it is selling to the crowd.
        var sales = buyers.Select(b => Sale(b.User, b.Address, 1, $"key-{b.User}")).ToList();
        sales.Insert(2, Sale(user, address, 2, "first"));
        sales.Insert(5, Sale(user, address, 2, sameKey ? "first" : "second"));
        var outcomes = await Task.WhenAll(sales.Select(inventory.SellAsync));

        // Which of the two gets there first is not fixed (the client's messages may take different gateways).
        var mine = new[] { outcomes[2], outcomes[5] };
        var first = Assert.Single(mine, o => o is { Status: SaleStatus.Sold, Replayed: false });
        var second = Assert.Single(mine, o => o != first);
        if (sameKey)
        {
            Assert.Equal((SaleStatus.Sold, true, first.Order!.Id), (second.Status, second.Replayed, second.Order!.Id));
        }
        else
        {
            // The cart was taken by the first: this one is sent the general way, which finds it empty.
            Assert.Equal(SaleStatus.Reroute, second.Status);
        }

        Assert.All(outcomes.Where((_, i) => i is not (2 or 5)), o => Assert.Equal(SaleStatus.Sold, o.Status));
        Assert.Equal(new InventoryLevel(product.Id, 20 - 8 - 2, 0), await inventory.GetAsync());
        Assert.Equal(0, (await shop.Cart(user).GetAsync()).TotalItems);
        Assert.Equal(first.Order!.Id, Assert.Single((await shop.UserOrders(user).ListAsync(null, new PageRequest())).Items).Id);
    }

    [Fact]
    public async Task OrdersSoldTogetherAreEachReadAndCancelledOnTheirOwn()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var buyers = new List<(string User, AddressDetails Address)>();
        for (var i = 0; i < 6; i++)
        {
            buyers.Add(await shop.ShopperWithCartAsync((product.Id, 1)));
        }

        var placed = await Task.WhenAll(buyers.Select(b => shop.CheckoutAsync(b.User, b.Address.Id, notes: $"for {b.User}")));

        for (var i = 0; i < buyers.Count; i++)
        {
            var read = await shop.Order(placed[i].Order.Id).GetAsync(new OrderAccess(buyers[i].User, IsStaff: false));
            Assert.Equal((placed[i].Order.OrderNumber, $"for {buyers[i].User}", "T-Shirt Red - Medium", OrderStatus.Pending), (read.OrderNumber, read.Notes, read.Items[0].ProductName, read.Status));
            var other = buyers[(i + 1) % buyers.Count].User;
            await Assert.ThrowsAsync<NotFoundException>(() => shop.Order(placed[i].Order.Id).GetAsync(new OrderAccess(other, IsStaff: false)));
        }

        var cancelled = await shop.Order(placed[0].Order.Id).CancelAsync("changed my mind", new OrderAccess(buyers[0].User, IsStaff: false));

        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.Equal(OrderStatus.Cancelled, (await shop.Order(placed[0].Order.Id).GetAsync(new OrderAccess(buyers[0].User, IsStaff: false))).Status);
        foreach (var (order, (user, _)) in placed.Zip(buyers).Skip(1))
        {
            Assert.Equal(OrderStatus.Pending, (await shop.Order(order.Order.Id).GetAsync(new OrderAccess(user, IsStaff: false))).Status);
        }

        Assert.Equal(new InventoryLevel(product.Id, 5, 0), await shop.Inventory(product.Id).GetAsync());
        await Assert.ThrowsAsync<OrderNotCancellableException>(
            () => shop.Order(placed[0].Order.Id).CancelAsync(null, new OrderAccess(buyers[0].User, IsStaff: false)));
        Assert.Equal(new InventoryLevel(product.Id, 5, 0), await shop.Inventory(product.Id).GetAsync());
    }

    [Fact]
    public async Task AnOrderIdNoBatchHandedOutIsNotFound()
    {
        var unused = OrderIds.FirstOf(batch: 1L << 30) + 5;

        await Assert.ThrowsAsync<NotFoundException>(() => shop.Order(unused).GetAsync(new OrderAccess("anyone", IsStaff: true)));
    }

    [Fact]
    public async Task AKeyAlreadyUsedAnswersWithItsOrderAndTakesNoMoreStock()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var first = await shop.CheckoutAsync(user, address.Id, idempotencyKey: "k-1");
        await shop.Cart(user).AddItemAsync(product.Id, 2);

        var again = await shop.CheckoutAsync(user, address.Id, idempotencyKey: "k-1");

        Assert.True(again.Replayed);
        Assert.Equal(first.Order.Id, again.Order.Id);
        Assert.Equal(8, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(2, (await shop.Cart(user).GetAsync()).TotalItems);
    }

    [Fact]
    public async Task AnOrderSnapshotsThePriceOfTheMomentItIsSold()
    {
        var product = await shop.CreateProductAsync(stock: 10, price: 10.00m);
        var (early, earlyAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        var (late, lateAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        Assert.Equal(10.00m, (await shop.CheckoutAsync(early, earlyAddress.Id)).Order.TotalAmount);

        await shop.Grains.GetGrain<IProductGrain>(product.Id).UpdateAsync(new ProductChanges("Renamed", 12.00m, null));

        var order = (await shop.CheckoutAsync(late, lateAddress.Id)).Order;
        Assert.Equal(("Renamed", 12.00m), (order.Items[0].ProductName, order.TotalAmount));
    }
}
