using Shop.Grains;

namespace Shop.Tests;

/// <summary>A cluster with tax 8.25%, flat shipping 4.99 and free shipping from 100.00.</summary>
public sealed class PricedClusterFixture : ClusterFixture
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Shop:Pricing:TaxRate"] = "0.0825",
        ["Shop:Pricing:FlatShipping"] = "4.99",
        ["Shop:Pricing:FreeShippingThreshold"] = "100.00",
    };
}

public sealed class PricingTests(PricedClusterFixture fixture) : IClassFixture<PricedClusterFixture>
{
    private readonly ShopDriver shop = new(fixture.Grains);

    [Theory]
    // 3 x 30.00 = 90.00; tax 7.425 rounds half away from zero to 7.43; below the threshold, so shipping.
    [InlineData(30.00, 3, 90.00, 7.43, 4.99, 102.42)]
    // 99.99 is a cent short of free shipping.
    [InlineData(33.33, 3, 99.99, 8.25, 4.99, 113.23)]
    // Exactly at the threshold ships free.
    [InlineData(25.00, 4, 100.00, 8.25, 0.00, 108.25)]
    // 0.07 x 1: tax 0.005775 rounds to 0.01.
    [InlineData(0.07, 1, 0.07, 0.01, 4.99, 5.07)]
    public async Task OrdersCarryTaxAndShippingFromThePricingRules(
        decimal price, int quantity, decimal subtotal, decimal tax, decimal shipping, decimal total)
    {
        var product = await shop.CreateProductAsync(stock: 10, price: price);
        var (user, address) = await shop.ShopperWithCartAsync((product.Id, quantity));

        var order = (await shop.CheckoutAsync(user, address.Id)).Order;

        Assert.Equal((subtotal, tax, shipping, 0.00m, total),
            (order.Subtotal, order.TaxAmount, order.ShippingAmount, order.DiscountAmount, order.TotalAmount));
    }

    [Fact]
    public void TaxRoundsHalfAwayFromZeroToCents()
    {
        var rules = new PricingOptions { TaxRate = 0.05m };

        Assert.Equal(0.03m, Pricing.Calculate(0.50m, rules).Tax); // 0.025
        Assert.Equal(0.02m, Pricing.Calculate(0.30m, rules).Tax); // 0.015
        Assert.Equal(0.00m, Pricing.Calculate(0.09m, rules).Tax); // 0.0045
    }
}
