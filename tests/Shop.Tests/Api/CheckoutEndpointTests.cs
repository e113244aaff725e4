using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CheckoutEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task CheckingOutAnEmptyCartIs400()
    {
        var (customer, _, addressId) = await shop.ShopperAsync();

        await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId }))
            .ProblemAsync(HttpStatusCode.BadRequest, "Cart is empty. Add items before checkout.");
    }

    [Fact]
    public async Task AShortLineIs409WithTheContractMessageAndChangesNothing()
    {
        var plenty = await shop.CreateProductAsync(stock: 10, name: "Plenty");
        var scarce = await shop.CreateProductAsync(stock: 3);
        var (customer, userId, addressId) = await shop.ShopperAsync((plenty.Id(), 1), (scarce.Id(), 5));

        await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId }))
            .ProblemAsync(HttpStatusCode.Conflict, "Insufficient stock for 'T-Shirt Red - Medium'. Available: 3, Requested: 5");

        Assert.Equal((10, 0, 10), await shop.StockAsync(plenty.Id()));
        Assert.Equal((3, 0, 3), await shop.StockAsync(scarce.Id()));
        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(6, cart["total_items"]!.GetValue<int>());
        var orders = await (await customer.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, orders["total"]!.GetValue<long>());
        using var admin = await shop.AdminAsync();
        var all = await (await admin.GetAsync($"/api/orders?user_id={userId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(0, all["total"]!.GetValue<long>());
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReturnsTheSameOrderWith200()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 2));
        var key = Guid.NewGuid().ToString();

        var first = await customer.SendAsync(Checkout(addressId, key));
        var second = await customer.SendAsync(Checkout(addressId, key));

        var created = await first.JsonAsync(HttpStatusCode.Created);
        var replayed = await second.JsonAsync(HttpStatusCode.OK);
        Assert.Equal(created.ToJsonString(), replayed.ToJsonString());
        Assert.Equal((8, 0, 8), await shop.StockAsync(product.Id()));
    }

    [Fact]
    public async Task TheSameIdempotencyKeyReturnsTheSameOrderEvenWhenTheCartNowHoldsASoldOutProduct()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var soldOut = await shop.CreateProductAsync(stock: 1, name: "Last One");
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 2));
        var key = Guid.NewGuid().ToString();
        var created = await (await customer.SendAsync(Checkout(addressId, key))).JsonAsync(HttpStatusCode.Created);
        var (other, _, otherAddress) = await shop.ShopperAsync((soldOut.Id(), 1));
        await (await other.PostJsonAsync("/api/checkout", new { shipping_address_id = otherAddress })).JsonAsync(HttpStatusCode.Created);
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = soldOut.Id(), quantity = 1 })).JsonAsync(HttpStatusCode.OK);
        await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId }))
            .ProblemAsync(HttpStatusCode.Conflict, "Insufficient stock for 'Last One'. Available: 0, Requested: 1");

        var replayed = await (await customer.SendAsync(Checkout(addressId, key))).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(created.ToJsonString(), replayed.ToJsonString());
        Assert.Equal((8, 0, 8), await shop.StockAsync(product.Id()));
        Assert.Equal((0, 0, 0), await shop.StockAsync(soldOut.Id()));
        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, cart["total_items"]!.GetValue<int>());
        other.Dispose();
    }

    [Fact]
    public async Task AKeyReusedWithDifferentParametersIs409()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 2));
        var key = Guid.NewGuid().ToString();
        await (await customer.SendAsync(Checkout(addressId, key))).JsonAsync(HttpStatusCode.Created);
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 1 })).JsonAsync(HttpStatusCode.OK);

        var problem = await (await customer.SendAsync(Checkout(addressId, key, notes: "something else"))).ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("different", problem["detail"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((8, 0, 8), await shop.StockAsync(product.Id()));
    }

    [Fact]
    public async Task CheckingOutToAnotherUsersAddressIs404()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, _) = await shop.ShopperAsync((product.Id(), 1));
        var (other, _, otherAddress) = await shop.ShopperAsync();

        await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = otherAddress }))
            .ProblemAsync(HttpStatusCode.NotFound, $"Address {otherAddress} not found.");
        Assert.Equal((10, 0, 10), await shop.StockAsync(product.Id()));
        other.Dispose();
    }

    [Fact]
    public async Task BillingDefaultsToShippingAndPaymentMethodToCreditCard()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 1));

        var order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId, payment_method = "paypal" }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal(addressId, order["billing_address"]!.Id());
        Assert.Equal("paypal", order["payment_method"]!.GetValue<string>());
    }

    private static HttpRequestMessage Checkout(long addressId, string key, string? notes = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { shipping_address_id = addressId, notes }),
        };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }
}
