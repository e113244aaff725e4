using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class HttpFlashSaleTests(ApiFixture fixture)
{
    [Fact]
    public async Task TwoHundredBuyersOfFiftyUnitsGetFiftyOrdersAndOneHundredFiftyConflicts()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 50);
        var buyers = new (HttpClient Client, long AddressId)[200];
        await Parallel.ForAsync(0, buyers.Length, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            var (client, _, addressId) = await shop.ShopperAsync((product.Id(), 1));
            buyers[i] = (client, addressId);
        });

        var responses = await Task.WhenAll(buyers.Select(b => b.Client.PostJsonAsync("/api/checkout", new { shipping_address_id = b.AddressId })));

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(50, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(150, statuses.GetValueOrDefault(HttpStatusCode.Conflict));
        Assert.Equal(200, statuses.Values.Sum());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.ProblemAsync(HttpStatusCode.Conflict, "Insufficient stock for 'T-Shirt Red - Medium'. Available: 0, Requested: 1");
        }

        Assert.Equal((0, 0, 0), await shop.StockAsync(product.Id()));
    }
}
