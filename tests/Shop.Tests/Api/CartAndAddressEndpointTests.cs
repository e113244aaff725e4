using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class CartAndAddressEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task ACartAddsUpLinesSetsRemovesAndEmpties()
    {
        var shirt = await shop.CreateProductAsync(stock: 5, price: 30.00m);
        var mug = await shop.CreateProductAsync(stock: 5, price: 12.50m, name: "Mug");
        var (customer, _) = await shop.CustomerAsync();

        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = shirt.Id(), quantity = 2 })).JsonAsync(HttpStatusCode.OK);
        var cart = await (await customer.PostJsonAsync("/api/cart/items", new { product_id = shirt.Id(), quantity = 1 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, cart["items"]![0]!["quantity"]!.GetValue<int>());
        Assert.Equal("90.00", cart["items"]![0]!["total_price"]!.ToJsonString());
        Assert.Equal("30.00", cart["items"]![0]!["unit_price"]!.ToJsonString());
        Assert.Equal("T-Shirt Red - Medium", cart["items"]![0]!["product_name"]!.GetValue<string>());

        cart = await (await customer.PutJsonAsync($"/api/cart/items/{mug.Id()}", new { quantity = 2 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((5, "115.00"), (cart["total_items"]!.GetValue<int>(), cart["subtotal"]!.ToJsonString()));

        cart = await (await customer.PutJsonAsync($"/api/cart/items/{shirt.Id()}", new { quantity = 0 })).JsonAsync(HttpStatusCode.OK);
        Assert.Single(cart["items"]!.AsArray());

        cart = await (await customer.DeleteAsync($"/api/cart/items/{mug.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(cart["items"]!.AsArray());

        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = shirt.Id(), quantity = 1 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await customer.DeleteAsync("/api/cart")).StatusCode);
        var empty = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal((0, "0.00"), (empty["total_items"]!.GetValue<int>(), empty["subtotal"]!.ToJsonString()));
    }

    [Fact]
    public async Task CartQuantitiesStayWithinOneToAThousandPerLine()
    {
        var product = await shop.CreateProductAsync(stock: 5);
        var (customer, _) = await shop.CustomerAsync();
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 999 })).JsonAsync(HttpStatusCode.OK);

        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 2 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 0 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 1001 })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await customer.PutJsonAsync($"/api/cart/items/{product.Id()}", new { quantity = 1001 })).ProblemAsync(HttpStatusCode.BadRequest);

        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(999, cart["items"]![0]!["quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task AddingAnUnknownProductIs404()
    {
        var (customer, _) = await shop.CustomerAsync();

        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = 424242424, quantity = 1 }))
            .ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
        await (await customer.PutJsonAsync("/api/cart/items/424242424", new { quantity = 1 }))
            .ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
        await (await customer.DeleteAsync("/api/cart/items/424242424")).ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
    }

    [Fact]
    public async Task AddressesAreSavedAndListedForTheirOwnerOnly()
    {
        var (alice, _) = await shop.CustomerAsync();
        var (bob, _) = await shop.CustomerAsync();

        var saved = await (await alice.PostJsonAsync("/api/addresses", new
        {
            full_name = "Alice Example",
            line1 = "1 Main St",
            line2 = "Apt 4",
            city = "Berlin",
            postal_code = "10115",
            country = "de",
            phone = "+49 30 1234567",
        })).JsonAsync(HttpStatusCode.Created);

        Assert.Equal(("DE", "Apt 4"), (saved["country"]!.GetValue<string>(), saved["line2"]!.GetValue<string>()));
        var mine = await (await alice.GetAsync("/api/addresses")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(saved.Id(), Assert.Single(mine["items"]!.AsArray())!.Id());
        var theirs = await (await bob.GetAsync("/api/addresses")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(theirs["items"]!.AsArray());
    }

    [Theory]
    [InlineData("""{"full_name":"A","line1":"B","city":"C","postal_code":"D","country":"XX"}""", "country")]
    [InlineData("""{"full_name":"A","line1":"B","city":"C","postal_code":"D","country":"GBR"}""", "country")]
    [InlineData("""{"line1":"B","city":"C","postal_code":"D","country":"GB"}""", "full_name")]
    [InlineData("""{"full_name":"A","line1":"  ","city":"C","postal_code":"D","country":"GB"}""", "line1")]
    public async Task InvalidAddressesAre400(string body, string field)
    {
        var (customer, _) = await shop.CustomerAsync();

        var problem = await (await customer.SendRawAsync(HttpMethod.Post, "/api/addresses", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
        Assert.Empty((await (await customer.GetAsync("/api/addresses")).JsonAsync(HttpStatusCode.OK))["items"]!.AsArray());
    }
}
