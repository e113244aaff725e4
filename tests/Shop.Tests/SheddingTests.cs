namespace Shop.Tests;

/// <summary>A product's queue sheds buyers who waited too long: one at a time per batch, no wait allowed.</summary>
public sealed class ImpatientSalesClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Sales:MaxBatch"] = "1",
        ["Shop:Sales:MaxBatchesInFlight"] = "1",
        ["Shop:Sales:MaxWait"] = "00:00:00",
    };
}

/// <summary>
/// Admission on the hot path: a buyer who would wait for more than the next batch, beyond the longest
/// wait allowed, is turned away before entering a transaction, and that changes nothing of theirs.
/// </summary>
public sealed class SheddingTests(ImpatientSalesClusterFixture fixture) : IClassFixture<ImpatientSalesClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task BuyersTurnedAwayGet503AndKeepTheirCartsWhileTheNextInLineIsAlwaysServed()
    {
        const int buyers = 24;
        var product = await shop.CreateProductAsync(stock: 100);
        var shoppers = await Task.WhenAll(Enumerable.Range(0, buyers).Select(_ => shop.ShopperWithCartAsync((product.Id, 1))));

        var outcomes = await Task.WhenAll(shoppers.Select(async s =>
        {
            try
            {
                return (s.UserId, Order: (await shop.CheckoutAsync(s.UserId, s.Address.Id)).Order, Refusal: (ServiceUnavailableException?)null);
            }
            catch (ServiceUnavailableException refusal)
            {
                return (s.UserId, Order: (OrderDetails?)null, Refusal: refusal);
            }
        }));

        var sold = outcomes.Where(o => o.Order is not null).ToList();
        var shed = outcomes.Where(o => o.Refusal is not null).ToList();
        Assert.Equal(buyers, sold.Count + shed.Count);
        // Whenever the product had buyers waiting and a batch finished, the first of them was sold to:
        // besides the buyer who found the grain idle, at least one more.
        Assert.True(sold.Count >= 2, $"only {sold.Count} sold, {shed.Count} turned away");
        Assert.Equal(new InventoryLevel(product.Id, 100 - sold.Count, 0), await shop.Inventory(product.Id).GetAsync());
        foreach (var (userId, _, refusal) in shed)
        {
            Assert.Equal("Too many buyers are waiting for this product right now. Nothing was ordered; please try again.", refusal!.Message);
            Assert.Equal(1, (await shop.Cart(userId).GetAsync()).TotalItems);
            Assert.Equal(0, (await shop.UserOrders(userId).ListAsync(null, new PageRequest())).Total);
        }

        foreach (var (userId, order, _) in sold)
        {
            Assert.Equal(0, (await shop.Cart(userId).GetAsync()).TotalItems);
            Assert.Equal(order!.Id, Assert.Single((await shop.UserOrders(userId).ListAsync(null, new PageRequest())).Items).Id);
        }
    }
}
