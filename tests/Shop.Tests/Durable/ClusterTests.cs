using System.Net;
using Shop.Tests.Api;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class ClusterTests(DurableServers servers)
{
    [Fact]
    public async Task TwoSilosFormAClusterThroughRedisAndAFlashSaleThroughTheApiSellsExactlyTheStock()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 2);
        var shop = new ShopApi(deployment.ClientForAsync);
        var product = await shop.CreateProductAsync(stock: 50);
        var responses = await shop.FlashSaleAsync(product.Id(), buyers: 200, preparedInParallel: 16);

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(50, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(150, statuses.GetValueOrDefault(HttpStatusCode.Conflict));
        Assert.Equal((0, 0, 0), await shop.StockAsync(product.Id()));

        // Shop's grains live on both silos: the cluster really is two silos sharing the work. The API
        // sends each grain's calls to one of the gateways it knows (both: it started after both silos
        // joined), and placement prefers the silo a call arrives at; which silo gets how many is
        // Orleans' choice, so the test looks across all of Shop's grain types.
        var management = (await deployment.ClusterClientAsync()).GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
        var activations = await management.GetDetailedGrainStatistics();
        var shopGrains = activations.Where(a => !a.GrainId.Type.ToString()!.StartsWith("sys.", StringComparison.Ordinal)).ToList();
        var placement = string.Join("; ", shopGrains.GroupBy(a => a.SiloAddress).Select(silo =>
            $"{silo.Key}: " + string.Join(", ", silo.GroupBy(a => a.GrainId.Type.ToString()).Select(t => $"{t.Count()} {t.Key}"))));
        Assert.True(shopGrains.Select(a => a.SiloAddress).Distinct().Count() == 2, $"Shop's grains by silo: {placement}");
    }

    [Fact]
    public async Task AnApiHostingItsOwnSiloJoinsTheClusterOfASiloProcessAndSellsExactlyTheStock()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 1, apiHostsSilo: true);
        var shop = new ShopApi(deployment.ClientForAsync);
        var product = await shop.CreateProductAsync(stock: 30);
        var responses = await shop.FlashSaleAsync(product.Id(), buyers: 120, preparedInParallel: 16);

        var statuses = responses.GroupBy(r => r.StatusCode).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(30, statuses.GetValueOrDefault(HttpStatusCode.Created));
        Assert.Equal(90, statuses.GetValueOrDefault(HttpStatusCode.Conflict));
        Assert.Equal((0, 0, 0), await shop.StockAsync(product.Id()));
        // Both are members: the API's process is a silo of the same cluster, on the same PostgreSQL.
        var management = (await deployment.ClusterClientAsync()).GetGrain<IManagementGrain>(0);
        Assert.Equal(2, (await management.GetHosts(onlyActive: true)).Count);
    }
}
