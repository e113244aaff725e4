using System.Globalization;
using Shop.Grains;

namespace Shop.Tests;

[Collection(ClusterCollection.Name)]
public sealed class OrderNumberTests(ClusterFixture fixture)
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Fact]
    public async Task TenThousandOrdersGetTenThousandDistinctIdsAndNumbersInTheFormat()
    {
        var products = new List<ProductDetails>();
        for (var i = 0; i < 20; i++)
        {
            products.Add(await shop.CreateProductAsync(stock: 1000));
        }

        var orders = new List<OrderDetails>();
        // 200 shoppers place 50 orders each, one after another, all shoppers at once.
        var placed = await Task.WhenAll(Enumerable.Range(0, 200).Select(async shopper =>
        {
            var user = ShopDriver.NewUserId();
            var address = await shop.AddAddressAsync(user);
            var mine = new List<OrderDetails>(50);
            for (var i = 0; i < 50; i++)
            {
                await shop.Cart(user).AddItemAsync(products[(shopper + i) % products.Count].Id, 1);
                mine.Add((await shop.CheckoutAsync(user, address.Id)).Order);
            }

            return mine;
        }));
        orders.AddRange(placed.SelectMany(o => o));

        Assert.Equal(10_000, orders.Count);
        Assert.Equal(10_000, orders.Select(o => o.Id).Distinct().Count());
        Assert.Equal(10_000, orders.Select(o => o.OrderNumber).Distinct().Count());
        Assert.All(orders, o =>
        {
            Assert.Matches("^ORD-[0-9]{8}-[0-9A-Z]{4,}$", o.OrderNumber);
            Assert.Equal(o.CreatedAt.ToString("yyyyMMdd", CultureInfo.InvariantCulture), o.OrderNumber[4..12]);
        });
    }

    [Fact]
    public void NumbersStayDistinctAcrossTheWholeIdRange()
    {
        var day = new DateTime(2025, 11, 2, 10, 30, 0, DateTimeKind.Utc);
        var ids = Enumerable.Range(1, 200_000).Select(i => (long)i)
            .Concat([(1L << 40) - 2, (1L << 40) - 1, 1L << 40, long.MaxValue]);

        var numbers = ids.Select(id => OrderNumbers.Format(id, day)).ToList();

        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers, n => Assert.Matches("^ORD-20251102-[0-9A-Z]{8,}$", n));
    }
}
