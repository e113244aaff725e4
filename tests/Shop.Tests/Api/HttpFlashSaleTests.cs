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
        var responses = await shop.FlashSaleAsync(product.Id(), buyers: 200, preparedInParallel: 32);

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
