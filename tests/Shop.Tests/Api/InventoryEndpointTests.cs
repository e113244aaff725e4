using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class InventoryEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task AnInventoryRecordIsKeyedByItsProduct()
    {
        var product = await shop.CreateProductAsync(stock: 12);

        var record = await shop.InventoryAsync(product.Id());

        Assert.Equal((product.Id(), product.Id(), 12, 0, 12), (
            record["id"]!.GetValue<long>(), record["product_id"]!.GetValue<long>(), record["stock_quantity"]!.GetValue<int>(),
            record["reserved_quantity"]!.GetValue<int>(), record["available_quantity"]!.GetValue<int>()));
    }

    [Fact]
    public async Task InventoryIsListedInPages()
    {
        await shop.CreateProductAsync(stock: 1);
        using var admin = await shop.AdminAsync();

        var page = await (await admin.GetAsync("/api/inventory?limit=1")).JsonAsync(HttpStatusCode.OK);

        Assert.Single(page["items"]!.AsArray());
        Assert.Equal(page["total"]!.GetValue<long>(), page["pages"]!.GetValue<long>());
    }

    [Fact]
    public async Task AdjustmentsChangeStockAndAreAudited()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        using var admin = await shop.AdminAsync();

        var record = await (await admin.PostJsonAsync($"/api/inventory/{product.Id()}/adjustments", new { delta = -5, reason = "damaged" }))
            .JsonAsync(HttpStatusCode.OK);

        Assert.Equal(5, record["stock_quantity"]!.GetValue<int>());
        await Eventually.HasAsync(admin, $"/api/audit?entity_type=Inventory&entity_id={product.Id()}&action=STOCK_ADJUSTED", 1);
        var audit = await (await admin.GetAsync($"/api/audit?entity_type=Inventory&entity_id={product.Id()}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("Adjusted stock by -5 (damaged). Stock: 5, Reserved: 0", audit["items"]![0]!["details"]!.GetValue<string>());
    }

    [Fact]
    public async Task AdjustingBelowZeroIs409AndZeroDeltaIs400AndUnknownProductIs404()
    {
        var product = await shop.CreateProductAsync(stock: 3);
        using var admin = await shop.AdminAsync();

        await (await admin.PostJsonAsync($"/api/inventory/{product.Id()}/adjustments", new { delta = -4, reason = "count" })).ProblemAsync(HttpStatusCode.Conflict);
        await (await admin.PostJsonAsync($"/api/inventory/{product.Id()}/adjustments", new { delta = 0, reason = "count" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await admin.PostJsonAsync("/api/inventory/424242424/adjustments", new { delta = 1, reason = "count" }))
            .ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");
        await (await admin.GetAsync("/api/inventory/424242424")).ProblemAsync(HttpStatusCode.NotFound, "Product 424242424 not found.");

        Assert.Equal((3, 0, 3), await shop.StockAsync(product.Id()));
    }
}
