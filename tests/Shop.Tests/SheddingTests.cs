namespace Shop.Tests;

/// <summary>Queues shed buyers who waited too long: one at a time per batch, no wait allowed.</summary>
public sealed class ImpatientSalesClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Sales:MaxBatch"] = "1",
        ["Shop:Sales:MaxBatchesInFlight"] = "1",
        ["Shop:Sales:MaxWait"] = "00:00:00",
        // Every buyer after the first within the window queues at the product's grain (whose admission is
        // under test here), not only those after a crowd of four.
        ["Shop:Sales:Crowd"] = "1",
    };
}

/// <summary>
/// Admission, at a product's grain and at a silo's sales desk: a buyer who would wait for more than the
/// next batch, beyond the longest wait allowed, is turned away before entering a transaction, and that
/// changes nothing of theirs.
/// </summary>
public sealed class SheddingTests(ImpatientSalesClusterFixture fixture) : IClassFixture<ImpatientSalesClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task BuyersTurnedAwayGet503AndKeepTheirCartsWhileTheNextInLineIsAlwaysServed()
    {
        var product = await shop.CreateProductAsync(stock: 100);

        var sold = await CheckOutTogetherAsync(
            [(product.Id, 1)], "Too many buyers are waiting for this product right now. Nothing was ordered; please try again.");

        Assert.Equal(new InventoryLevel(product.Id, 100 - sold, 0), await shop.Inventory(product.Id).GetAsync());
    }

    [Fact]
    public async Task CartsOfSeveralProductsTurnedAwayAtTheSalesDeskKeepTheirCartsToo()
    {
        var first = await shop.CreateProductAsync(stock: 100);
        var second = await shop.CreateProductAsync(stock: 100);

        var sold = await CheckOutTogetherAsync(
            [(first.Id, 1), (second.Id, 2)], "Too many buyers are waiting right now. Nothing was ordered; please try again.");

        Assert.Equal(new InventoryLevel(first.Id, 100 - sold, 0), await shop.Inventory(first.Id).GetAsync());
        Assert.Equal(new InventoryLevel(second.Id, 100 - 2 * sold, 0), await shop.Inventory(second.Id).GetAsync());
    }

    /// <summary>Two dozen buyers with the same cart check out at once; returns how many bought.</summary>
    private async Task<int> CheckOutTogetherAsync((long ProductId, int Quantity)[] cart, string refusalMessage)
    {
        const int buyers = 24;
        var shoppers = await Task.WhenAll(Enumerable.Range(0, buyers).Select(_ => shop.ShopperWithCartAsync(cart)));

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
        // Whenever buyers were waiting and a batch finished, the first of them was sold to: besides the
        // buyer who found the queue empty, at least one more.
        Assert.True(sold.Count >= 2, $"only {sold.Count} sold, {shed.Count} turned away");
        Assert.NotEmpty(shed);
        foreach (var (userId, _, refusal) in shed)
        {
            Assert.Equal(refusalMessage, refusal!.Message);
            Assert.Equal(cart.Sum(l => l.Quantity), (await shop.Cart(userId).GetAsync()).TotalItems);
            Assert.Equal(0, (await shop.UserOrders(userId).ListAsync(null, new PageRequest())).Total);
        }

        foreach (var (userId, order, _) in sold)
        {
            Assert.Equal(0, (await shop.Cart(userId).GetAsync()).TotalItems);
            Assert.Equal(order!.Id, Assert.Single((await shop.UserOrders(userId).ListAsync(null, new PageRequest())).Items).Id);
        }

        return sold.Count;
    }
}
