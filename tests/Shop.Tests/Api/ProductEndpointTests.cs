using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class ProductEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task CreatingAProductReturns201WithItsLocationAndStock()
    {
        using var admin = await shop.AdminAsync();
        var sku = $"mug-{Guid.NewGuid():N}";

        var response = await admin.PostJsonAsync("/api/products", new { sku, name = "Mug", price = 12.5m, initial_stock = 7 });

        var product = await response.JsonAsync(HttpStatusCode.Created);
        Assert.Equal($"/api/products/{product.Id()}", response.Headers.Location?.OriginalString);
        Assert.Equal(sku.ToUpperInvariant(), product["sku"]!.GetValue<string>());
        Assert.Equal("12.50", product["price"]!.ToJsonString());
        Assert.Equal(7, product["available_quantity"]!.GetValue<int>());
        Assert.Empty(product["attributes"]!.AsObject());
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", product["created_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task InitialStockDefaultsToZero()
    {
        using var admin = await shop.AdminAsync();

        var product = await (await admin.PostJsonAsync("/api/products", new { sku = $"S-{Guid.NewGuid():N}", name = "Sticker", price = 1.00m }))
            .JsonAsync(HttpStatusCode.Created);

        Assert.Equal(0, product["available_quantity"]!.GetValue<int>());
    }

    [Fact]
    public async Task ADuplicateSkuIs409WhateverItsCase()
    {
        using var admin = await shop.AdminAsync();
        var sku = $"dup-{Guid.NewGuid():N}";
        await (await admin.PostJsonAsync("/api/products", new { sku, name = "First", price = 1m })).JsonAsync(HttpStatusCode.Created);

        var problem = await (await admin.PostJsonAsync("/api/products", new { sku = sku.ToUpperInvariant(), name = "Second", price = 2m }))
            .ProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains(sku.ToUpperInvariant(), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"sku":"A-1","name":"x","price":-0.01}""", "price")]
    [InlineData("""{"sku":"A-1","name":"x","price":1,"initial_stock":-1}""", "initial_stock")]
    [InlineData("""{"name":"x","price":1}""", "sku")]
    [InlineData("""{"sku":"A-1","price":1}""", "name")]
    [InlineData("""{"sku":"A-1","name":"x"}""", "price")]
    [InlineData("""{"sku":"A-1","name":"x","price":1.005}""", "price")]
    public async Task InvalidProductsAre400NamingTheField(string body, string field)
    {
        using var admin = await shop.AdminAsync();

        var problem = await (await admin.SendRawAsync(HttpMethod.Post, "/api/products", body)).ProblemAsync(HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]![field]);
    }

    [Fact]
    public async Task ProductsAreListedPagedAndReadableWithoutAToken()
    {
        var first = await shop.CreateProductAsync(stock: 3);
        using var anonymous = fixture.CreateClient();

        var page = await (await anonymous.GetAsync("/api/products?page=1&limit=100")).JsonAsync(HttpStatusCode.OK);
        var one = await (await anonymous.GetAsync($"/api/products/{first.Id()}")).JsonAsync(HttpStatusCode.OK);

        Assert.True(page["total"]!.GetValue<long>() >= 1);
        Assert.Equal(100, page["limit"]!.GetValue<int>());
        Assert.Equal(1, page["page"]!.GetValue<int>());
        Assert.Equal((page["total"]!.GetValue<long>() + 99) / 100, page["pages"]!.GetValue<long>());
        Assert.Equal(first.ToJsonString(), one.ToJsonString());
    }

    [Fact]
    public async Task AnUnknownProductIs404NamingIt()
    {
        using var anonymous = fixture.CreateClient();

        await (await anonymous.GetAsync("/api/products/424242424")).ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
    }

    [Fact]
    public async Task UpdatingAProductChangesOnlyTheGivenFieldsAndKeepsOrderSnapshots()
    {
        var product = await shop.CreateProductAsync(stock: 10, price: 20.00m, name: "Cap");
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 1));
        var order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        using var admin = await shop.AdminAsync();

        var updated = await (await admin.PutJsonAsync($"/api/products/{product.Id()}", new { price = 25.00m })).JsonAsync(HttpStatusCode.OK);

        Assert.Equal(("Cap", "25.00"), (updated["name"]!.GetValue<string>(), updated["price"]!.ToJsonString()));
        var reread = await (await customer.GetAsync($"/api/orders/{order.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("20.00", reread["items"]![0]!["unit_price"]!.ToJsonString());
        await (await admin.PutJsonAsync("/api/products/424242424", new { price = 1m })).ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
        await (await admin.PutJsonAsync($"/api/products/{product.Id()}", new { })).ProblemAsync(HttpStatusCode.BadRequest);
    }
}
