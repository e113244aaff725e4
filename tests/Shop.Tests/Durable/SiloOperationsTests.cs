using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Shop.Tests.Durable;

/// <summary>What operators reach on each silo's own HTTP port: its metrics and the Orleans Dashboard.</summary>
[Collection(DurableCollection.Name)]
public sealed class SiloOperationsTests(DurableServers servers)
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task ASiloServesShopMetricsAndItsDashboardOnlyWithValidCredentials()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        deployment.StartSilo(new Dictionary<string, string>
        {
            ["Shop__Dashboard__Username"] = "operator",
            ["Shop__Dashboard__Password"] = Password,
        });
        await deployment.StartApiAsync();
        await deployment.WaitForSilosAsync(1);
        var stream = new CheckoutStream(deployment, buyers: 3, stock: 2);
        await stream.PrepareAsync();
        await stream.RunAsync(concurrency: 3);

        using var silo = new HttpClient { BaseAddress = new Uri(deployment.SiloHttpUrls[0]) };
        var metrics = await silo.GetStringAsync("/metrics");
        Assert.Contains($"shop_units_sold_total{{", metrics, StringComparison.Ordinal);
        Assert.Contains($"product_id=\"{stream.ProductId}\"", metrics, StringComparison.Ordinal);
        Assert.Contains("orleans_transactions_started", metrics, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.GetAsync("/dashboard/")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.SendAsync(Dashboard("operator", "wrong password"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.SendAsync(Dashboard("admin", Password))).StatusCode);
        var garbage = new HttpRequestMessage(HttpMethod.Get, "/dashboard/ClusterStats");
        garbage.Headers.Authorization = new AuthenticationHeaderValue("Basic", "not base64!");
        Assert.Equal(HttpStatusCode.Unauthorized, (await silo.SendAsync(garbage)).StatusCode);

        var page = await silo.SendAsync(Dashboard("operator", Password));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<html", await page.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        var stats = await silo.SendAsync(Dashboard("operator", Password, "/dashboard/DashboardCounters"));
        Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
    }

    [Fact]
    public async Task WithoutAPasswordTheDashboardIsNotServedAtAll()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        deployment.StartSilo();
        await deployment.WaitForSilosAsync(1);

        using var silo = new HttpClient { BaseAddress = new Uri(deployment.SiloHttpUrls[0]) };
        Assert.Equal(HttpStatusCode.NotFound, (await silo.SendAsync(Dashboard("admin", ""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await silo.GetAsync("/health/live")).StatusCode);
    }

    private static HttpRequestMessage Dashboard(string user, string password, string path = "/dashboard/")
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}")));
        return request;
    }
}
