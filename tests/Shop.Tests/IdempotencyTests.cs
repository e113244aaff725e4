namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class IdempotencyTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task TheSameKeyTwiceReturnsTheSameOrderAndTakesStockOnce()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 3));
        var key = Guid.NewGuid().ToString();

        var first = await shop.CheckoutAsync(user, address.Id, key);
        await shop.Cart(user).AddItemAsync(product.Id, 1);
        var second = await shop.CheckoutAsync(user, address.Id, key);

        Assert.False(first.Replayed);
        Assert.True(second.Replayed);
        Same.Equal(first.Order, second.Order);
        Assert.Equal(7, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(1, Assert.Single((await shop.Cart(user).GetAsync()).Items).Quantity);
        Assert.Equal(1, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task TwentyConcurrentRequestsWithOneKeyCreateOneOrder()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var key = Guid.NewGuid().ToString();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => shop.CheckoutAsync(user, address.Id, key)));

        Assert.Single(results.Select(r => r.Order.Id).Distinct());
        Assert.Single(results, r => !r.Replayed);
        Assert.Equal(8, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(1, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task TheSameKeyWithADifferentRequestIsRejectedAndChangesNothing()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, 2));
        var key = Guid.NewGuid().ToString();
        await shop.CheckoutAsync(user, address.Id, key, notes: "first");
        await shop.Cart(user).AddItemAsync(product.Id, 4);

        var failure = await Assert.ThrowsAsync<IdempotencyKeyReusedException>(
            () => shop.CheckoutAsync(user, address.Id, key, notes: "second"));

        Assert.Contains("different", failure.Message, StringComparison.Ordinal);
        Assert.Equal(8, (await shop.Inventory(product.Id).GetAsync()).Stock);
        Assert.Equal(4, Assert.Single((await shop.Cart(user).GetAsync()).Items).Quantity);
        Assert.Equal(1, (await shop.UserOrders(user).ListAsync(null, new PageRequest())).Total);
    }

    [Fact]
    public async Task KeysBelongToTheirUser()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (alice, aliceAddress) = await shop.ShopperWithCartAsync((product.Id, 1));
        var (bob, bobAddress) = await shop.ShopperWithCartAsync((product.Id, 1));

        var first = await shop.CheckoutAsync(alice, aliceAddress.Id, "shared-key");
        var second = await shop.CheckoutAsync(bob, bobAddress.Id, "shared-key");

        Assert.NotEqual(first.Order.Id, second.Order.Id);
        Assert.False(second.Replayed);
        Assert.Equal(8, (await shop.Inventory(product.Id).GetAsync()).Stock);
    }
}
