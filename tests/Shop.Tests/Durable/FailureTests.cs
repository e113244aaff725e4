using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Shop.Tests.Api;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class FailureTests(DurableServers servers, Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task KillingASiloMidStreamLosesNoAcknowledgedOrderAndRejectedRequestsChangeNothing()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 2);
        var stream = new CheckoutStream(deployment, buyers: 240, stock: 160);
        await stream.PrepareAsync();

        var running = stream.RunAsync(concurrency: 16);
        while (stream.Completed < 60 && !running.IsCompleted)
        {
            await Task.Delay(20);
        }

        deployment.Silos[1].Kill();
        await running;

        // Recovery: a replacement silo joins, the dead one is declared dead.
        deployment.StartSilo();
        await deployment.WaitForSilosAsync(2);

        // Cancel a few acknowledged orders: their units come back, and the books must still balance.
        var cancelled = 0;
        foreach (var outcome in stream.Outcomes.Where(o => o.Status == HttpStatusCode.Created).Take(3))
        {
            var id = JsonNode.Parse(outcome.Body)!.Id();
            await (await outcome.Buyer.Client.PostAsync($"/api/orders/{id}/cancel", null)).JsonAsync(HttpStatusCode.OK);
            cancelled++;
        }

        output.WriteLine(stream.Summary());
        await stream.AssertBooksBalanceAsync(restored: cancelled);
    }

    [Fact]
    public async Task KillingASiloWhoseDeskHoldsStockLeasesLosesNoUnit()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 2);
        var shop = new ShopApi(deployment.ClientForAsync);
        // Lone buyers of a dozen products, a few at a time: the desks of both silos sell them from leases.
        var products = new List<long>();
        for (var i = 0; i < 12; i++)
        {
            products.Add((await shop.CreateProductAsync(stock: 10, name: $"Lamp {i}")).Id());
        }

        var buyers = new (HttpClient Client, string UserId, long AddressId, long ProductId)[180];
        await Parallel.ForAsync(0, buyers.Length, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var productId = products[i % products.Count];
            var (client, userId, addressId) = await shop.ShopperAsync((productId, 1));
            buyers[i] = (client, userId, addressId, productId);
        });

        var statuses = new HttpStatusCode[buyers.Length];
        var next = -1;
        var running = Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < buyers.Length; i = Interlocked.Increment(ref next))
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
                {
                    Content = System.Net.Http.Json.JsonContent.Create(new { shipping_address_id = buyers[i].AddressId }),
                };
                request.Headers.Add("Idempotency-Key", $"leases-{buyers[i].UserId}");
                statuses[i] = (await buyers[i].Client.SendAsync(request)).StatusCode;
            }
        }));
        while (Volatile.Read(ref next) < 50 && !running.IsCompleted)
        {
            await Task.Delay(20);
        }

        var cluster = await deployment.ClusterClientAsync();
        Assert.True(
            await StockLanes.LeasesOfAsync(cluster, cluster.ServiceProvider.GetRequiredService<ITransactionClient>(), products) > 0,
            "No product was leased when the silo was killed.");
        deployment.Silos[1].Kill();
        await running;
        deployment.StartSilo();
        await deployment.WaitForSilosAsync(2);

        Assert.All(statuses, status => Assert.Contains(status, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict, HttpStatusCode.ServiceUnavailable }));
        using var admin = await shop.AdminAsync();
        foreach (var productId in products)
        {
            // Every unit is either in stock or in an acknowledged order, whichever silo's lease held it.
            var sold = buyers.Where((b, i) => b.ProductId == productId && statuses[i] == HttpStatusCode.Created).Count();
            Assert.Equal((10 - sold, 0, 10 - sold), await shop.StockAsync(productId));
            await Eventually.HasAsync(admin, $"/api/audit?entity_type=Inventory&entity_id={productId}&action=ORDER_FULFILLED", sold, TimeSpan.FromSeconds(45));
        }

        foreach (var (buyer, status) in buyers.Zip(statuses).Where(b => b.Second != HttpStatusCode.Created))
        {
            var mine = await (await buyer.Client.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
            Assert.True(mine["total"]!.GetValue<long>() == 0, $"A request answered {(int)status} created an order: {mine}");
        }
    }

    [Fact]
    public async Task APostgresOutageFailsCheckoutsWith503AndTheShopRecoversByItself()
    {
        // A server of its own: stopping the shared one would disturb the other tests.
        await using var postgres = await PostgresServer.LaunchAsync();
        await using var deployment = new ShopDeployment(postgres.ConnectionString(await postgres.CreateDatabaseAsync()), servers.Redis.ConnectionString);
        await deployment.StartAsync(siloCount: 1);
        var stream = new CheckoutStream(deployment, buyers: 200, stock: 150);
        await stream.PrepareAsync();
        // Buyers who arrive while PostgreSQL is down, prepared (carts and addresses stored) before.
        var latecomers = new CheckoutStream(deployment, buyers: 6, stock: 6);
        await latecomers.PrepareAsync();

        var running = stream.RunAsync(concurrency: 8);
        while (stream.Completed < 40 && !running.IsCompleted)
        {
            await Task.Delay(20);
        }

        await postgres.StopAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl) };
        await WaitForReadinessAsync(anonymous, HttpStatusCode.ServiceUnavailable);
        // Checkouts that start during the outage cannot commit: they fail with 503 problem details and
        // change nothing. (Those already committing when it began are in doubt: they are answered once
        // their outcome is known, which the books below check.)
        await latecomers.RunAsync(concurrency: 6);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await postgres.StartAsync();
        await running;
        await WaitForReadinessAsync(anonymous, HttpStatusCode.OK);

        output.WriteLine($"stream: {stream.Summary()}; during the outage: {latecomers.Summary()}");
        var siloSaid = string.Join('\n', deployment.Silos[0].Output.Split('\n').Where(l => l.Contains("Shop", StringComparison.Ordinal) || l.Contains("fail", StringComparison.Ordinal)).TakeLast(60));
        Assert.All(latecomers.Outcomes, o => Assert.True(o.Status == HttpStatusCode.ServiceUnavailable, $"A checkout during the outage answered {(int)o.Status}: {o.Body}"));
        Assert.All(stream.Outcomes.Concat(latecomers.Outcomes), o => Assert.True(o.Latency < TimeSpan.FromSeconds(60), $"A request took {o.Latency}. The silo said:\n{siloSaid}"));

        // The shop recovered by itself: checkouts succeed again.
        var after = new CheckoutStream(deployment, buyers: 5, stock: 5);
        await after.PrepareAsync();
        await after.RunAsync(concurrency: 5);
        Assert.All(after.Outcomes, o => Assert.Equal(HttpStatusCode.Created, o.Status));

        await stream.AssertBooksBalanceAsync();
        await latecomers.AssertBooksBalanceAsync();
    }

    [Fact]
    public async Task ReadinessFollowsPostgresRedisAndTheCluster()
    {
        await using var postgres = await PostgresServer.LaunchAsync();
        await using var redis = await RedisServer.LaunchAsync();
        await using var deployment = new ShopDeployment(postgres.ConnectionString(await postgres.CreateDatabaseAsync()), redis.ConnectionString);
        await deployment.StartAsync(siloCount: 1);
        using var anonymous = new HttpClient { BaseAddress = new Uri(deployment.ApiUrl) };
        using var silo = new HttpClient { BaseAddress = new Uri(deployment.SiloHttpUrls[0]) };
        await WaitForReadinessAsync(silo, HttpStatusCode.OK);

        // The API and the silo alike: each follows PostgreSQL, and then Redis, down and back up.
        await postgres.StopAsync();
        await WaitForReadinessAsync(anonymous, HttpStatusCode.ServiceUnavailable);
        await WaitForReadinessAsync(silo, HttpStatusCode.ServiceUnavailable);
        await postgres.StartAsync();
        await WaitForReadinessAsync(anonymous, HttpStatusCode.OK);
        await WaitForReadinessAsync(silo, HttpStatusCode.OK);

        await redis.StopAsync();
        await WaitForReadinessAsync(anonymous, HttpStatusCode.ServiceUnavailable);
        await WaitForReadinessAsync(silo, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await silo.GetAsync("/health/live")).StatusCode);
        await redis.StartAsync();
        await WaitForReadinessAsync(anonymous, HttpStatusCode.OK);
        await WaitForReadinessAsync(silo, HttpStatusCode.OK);

        await deployment.Silos[0].StopAsync(TimeSpan.FromSeconds(30));
        await WaitForReadinessAsync(anonymous, HttpStatusCode.ServiceUnavailable);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        deployment.StartSilo();
        await WaitForReadinessAsync(anonymous, HttpStatusCode.OK);
    }

    private static async Task WaitForReadinessAsync(HttpClient client, HttpStatusCode expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (true)
        {
            HttpStatusCode status;
            try
            {
                status = (await client.GetAsync("/health/ready")).StatusCode;
            }
            catch (HttpRequestException)
            {
                status = 0;
            }

            if (status == expected)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health/ready stayed {(int)status}, expected {(int)expected}.");
            await Task.Delay(250);
        }
    }
}
