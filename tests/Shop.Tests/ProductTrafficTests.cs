using Microsoft.Extensions.Options;
using Shop.Grains;

namespace Shop.Tests;

/// <summary>
/// How a checkout tells a crowd of a product's buyers (sold in batches by the product's grain) from a lone
/// buyer (sold at the silo's sales desk with other products' buyers): the defaults, four earlier buyers of
/// the product within 100 ms, or its grain selling a batch.
/// </summary>
public sealed class ProductTrafficTests
{
    private static readonly DateTime Start = new(2026, 12, 6, 0, 0, 0, DateTimeKind.Utc);

    private readonly ProductTraffic traffic = new(Options.Create(new SalesOptions()));

    [Fact]
    public void TheFifthBuyerWithinTheWindowIsACrowdAndTheFirstFourAreNot()
    {
        var crowded = Enumerable.Range(0, 6).Select(i => traffic.IsCrowded(7, Start.AddMilliseconds(10 * i))).ToList();

        Assert.Equal([false, false, false, false, true, true], crowded);
    }

    [Fact]
    public void BuyersFurtherApartThanTheWindowAreNeverACrowd()
    {
        var crowded = Enumerable.Range(0, 20).Select(i => traffic.IsCrowded(7, Start.AddMilliseconds(30 * i))).ToList();

        Assert.DoesNotContain(true, crowded);
    }

    [Fact]
    public void ACrowdThatThinsOutSendsItsNextBuyerToTheDesk()
    {
        for (var i = 0; i < 10; i++)
        {
            traffic.IsCrowded(7, Start.AddMilliseconds(i));
        }

        Assert.True(traffic.IsCrowded(7, Start.AddMilliseconds(50)));
        Assert.False(traffic.IsCrowded(7, Start.AddMilliseconds(200)));
    }

    [Fact]
    public void WhileItsGrainSellsABatchEveryBuyerOfTheProductGoesToIt()
    {
        var grain = new object();
        traffic.SellingStarted(7, grain);

        Assert.True(traffic.IsCrowded(7, Start));
        Assert.True(traffic.IsCrowded(7, Start.AddSeconds(5)));
        Assert.False(traffic.IsCrowded(8, Start.AddSeconds(5)));

        traffic.SellingEnded(7, grain);
        Assert.False(traffic.IsCrowded(7, Start.AddSeconds(10)));
    }

    [Fact]
    public void AnOldActivationGoingAwayLeavesTheNewOnesBatchesToIt()
    {
        // The product's grain was deactivated and activated again; the old activation's end runs after the
        // new one started selling. Its buyers must still go to the new activation's batches.
        var old = new object();
        var current = new object();
        traffic.SellingStarted(7, old);
        traffic.SellingStarted(7, current);

        traffic.SellingEnded(7, old);
        Assert.True(traffic.IsCrowded(7, Start.AddSeconds(5)));

        traffic.SellingEnded(7, current);
        Assert.False(traffic.IsCrowded(7, Start.AddSeconds(10)));
    }

    [Fact]
    public void BuyersOfOtherProductsNeverMakeACrowd()
    {
        // 7 and 7 + 4096 share a slot of the table: each takes it over, neither counts the other's buyers.
        var crowded = Enumerable.Range(0, 12)
            .Select(i => traffic.IsCrowded(i % 2 == 0 ? 7 : 7 + 4096, Start.AddMilliseconds(i)))
            .Concat(Enumerable.Range(0, 12).Select(i => traffic.IsCrowded(100 + i, Start.AddMilliseconds(20 + i))))
            .ToList();

        Assert.DoesNotContain(true, crowded);
    }
}
