using System.Net;

namespace Shop.Tests.Api;

/// <summary>The API with the sales desk off: a cart of several products is checked out in a transaction of its own.</summary>
public sealed class NoSalesDeskFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Sales:SalesDesk"] = "false",
    };
}

/// <summary>
/// The API hosts its silo, so such a checkout's transaction starts in the HTTP request itself (no grain
/// runs it): it must still be all or nothing.
/// </summary>
public sealed class CheckoutWithoutTheDeskTests(NoSalesDeskFixture fixture) : IClassFixture<NoSalesDeskFixture>
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task ACartOfTwoProductsIsSoldInOneTransactionStartedByTheRequest()
    {
        var shirts = await shop.CreateProductAsync(stock: 10, name: "Shirt");
        var socks = await shop.CreateProductAsync(stock: 5, price: 4.50m, name: "Socks");
        var (customer, _, addressId) = await shop.ShopperAsync((shirts.Id(), 2), (socks.Id(), 3));

        var order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal(5, order["total_items"]!.GetValue<int>());
        Assert.Equal((8, 0, 8), await shop.StockAsync(shirts.Id()));
        Assert.Equal((2, 0, 2), await shop.StockAsync(socks.Id()));
        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, cart["total_items"]!.GetValue<int>());
        var mine = await (await customer.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, mine["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task AShortLineFailsTheWholeCartAndChangesNothing()
    {
        var shirts = await shop.CreateProductAsync(stock: 10, name: "Shirt");
        var socks = await shop.CreateProductAsync(stock: 2, name: "Socks");
        var (customer, _, addressId) = await shop.ShopperAsync((shirts.Id(), 2), (socks.Id(), 3));

        await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId }))
            .ProblemAsync(HttpStatusCode.Conflict, "Insufficient stock for 'Socks'. Available: 2, Requested: 3");

        Assert.Equal((10, 0, 10), await shop.StockAsync(shirts.Id()));
        Assert.Equal((2, 0, 2), await shop.StockAsync(socks.Id()));
        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, cart["total_items"]!.GetValue<int>());
        var mine = await (await customer.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, mine["total"]!.GetValue<long>());
    }
}
