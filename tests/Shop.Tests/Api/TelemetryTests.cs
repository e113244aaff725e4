using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Shop.Tests.Api;

/// <summary>
/// The embedded shop with its telemetry collected in memory, as an exporter would receive it. Alone in
/// its collection, run after the others: OpenTelemetry listens to meters by name, process-wide, so a
/// sale in a parallel test would count here too.
/// </summary>
public sealed class TelemetryFixture : ApiFixture
{
    public List<Metric> Metrics { get; } = [];

    public List<Activity> Spans { get; } = [];

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Shop:Telemetry:Traces"] = "true" };

    /// <summary>Collects every instrument now and returns the exported metrics.</summary>
    public IReadOnlyList<Metric> CollectMetrics()
    {
        lock (Metrics)
        {
            Metrics.Clear();
            // The Prometheus reader only answers scrapes, so the flush as a whole may report false;
            // the in-memory exporter's reader is collected all the same.
            Services.GetRequiredService<MeterProvider>().ForceFlush(10_000);
            return [.. Metrics];
        }
    }

    public IReadOnlyList<Activity> CollectSpans()
    {
        Assert.True(Services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        lock (Spans)
        {
            return [.. Spans];
        }
    }

    /// <summary>
    /// The spans exported after the first <paramref name="skip"/>, once one matches: the server span of
    /// a request ends (and is exported) just after the client has its response, so a span asked for at
    /// once may not be there yet.
    /// </summary>
    public async Task<IReadOnlyList<Activity>> CollectSpansAsync(int skip, Func<Activity, bool> awaited)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var spans = CollectSpans().Skip(skip).ToList();
            if (spans.Any(awaited) || DateTime.UtcNow > deadline)
            {
                return spans;
            }

            await Task.Delay(50);
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(Metrics));
            services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(Spans));
        });
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection : ICollectionFixture<TelemetryFixture>
{
    public const string Name = "Telemetry";
}

[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests(TelemetryFixture fixture)
{
    [Fact]
    public async Task AFlashSaleIsCountedInShopsMetricsAndOrleansTransactionMetrics()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 6);
        var buyers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => shop.ShopperAsync((product.Id(), 1))));
        var collected = fixture.CollectMetrics();
        var (before, durationsBefore) = (Checkouts(collected), HistogramCount(collected, "shop.checkout.duration"));

        var responses = await Task.WhenAll(buyers.Select(b => b.Client.PostJsonAsync("/api/checkout", new { shipping_address_id = b.AddressId })));
        // And one refused as invalid: an address that is not the buyer's.
        var invalid = await buyers[0].Client.PostJsonAsync("/api/checkout", new { shipping_address_id = 987_654_321 });

        Assert.Equal(6, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        Assert.Equal(4, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.True(invalid.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, $"{invalid.StatusCode}");
        var metrics = fixture.CollectMetrics();
        var after = Checkouts(metrics);
        Assert.Equal(6, after.GetValueOrDefault("ok") - before.GetValueOrDefault("ok"));
        Assert.Equal(4, after.GetValueOrDefault("sold_out") - before.GetValueOrDefault("sold_out"));
        Assert.Equal(1, after.GetValueOrDefault("invalid") - before.GetValueOrDefault("invalid"));
        Assert.Equal(0, after.GetValueOrDefault("error") - before.GetValueOrDefault("error"));

        // Units sold for the product equal the units of its orders.
        var orderedUnits = 0;
        foreach (var created in responses.Where(r => r.StatusCode == HttpStatusCode.Created))
        {
            var order = await created.JsonAsync(HttpStatusCode.Created);
            orderedUnits += order["items"]!.AsArray().Sum(i => i!["quantity"]!.GetValue<int>());
        }

        Assert.Equal(orderedUnits, Sum(metrics, "shop.units.sold", ("product_id", product.Id())));
        Assert.Equal(11, HistogramCount(metrics, "shop.checkout.duration") - durationsBefore);
        Assert.True(Sum(metrics, "orleans-transactions-started") >= 6, "Orleans' transaction metrics are exported");
        Assert.True(Sum(metrics, "orleans-transactions-successful") >= 6, "Orleans' transaction metrics are exported");

        // A cancellation puts its units back, and the meter says so.
        var first = await responses.First(r => r.StatusCode == HttpStatusCode.Created).JsonAsync(HttpStatusCode.Created);
        var owner = buyers[Array.FindIndex(responses, r => r.StatusCode == HttpStatusCode.Created)].Client;
        await (await owner.PostAsync($"/api/orders/{first.Id()}/cancel", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, Sum(fixture.CollectMetrics(), "shop.units.restored", ("product_id", product.Id())));
    }

    [Fact]
    public async Task ACheckoutIsOneTraceFromTheHttpRequestThroughTheGrainCalls()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 3);
        var (client, _, addressId) = await shop.ShopperAsync((product.Id(), 1));

        var grainSpans = await CheckoutGrainSpansAsync(client, addressId);

        var grainCalls = grainSpans.Select(s => s.DisplayName).ToList();
        // The API hosts a silo here, so the checkout runs in the request and its first grain call is the cart's,
        // which answers with the lines and the addresses alike (the user's address book lives in that grain).
        // A lone buyer goes to the silo's sales desk directly, whose batch takes the stock from the product's
        // grain; the product's grain is not asked to pass the buyer on.
        Assert.Contains(grainCalls, name => Is(name, "SalesDeskGrain", "SellAsync"));
        var sale = grainSpans.Where(s => Is(s.DisplayName, "SalesDeskGrain", "SellAsync")).Min(s => s.StartTimeUtc);
        Assert.All(
            grainSpans.Where(s => s.StartTimeUtc < sale).Select(s => s.DisplayName),
            name => Assert.True(Is(name, "CartGrain", "StartCheckoutAsync"), $"{name} was called before the sale"));
        Assert.Contains(grainCalls, name => Is(name, "CartGrain", "StartCheckoutAsync"));
        Assert.Contains(grainCalls, name => Is(name, "InventoryGrain", "AllotAsync"));
        Assert.DoesNotContain(grainCalls, name => Is(name, "InventoryGrain", "SellAsync"));
    }

    [Fact]
    public async Task TheNextLoneBuyerIsSoldFromTheDesksLeaseWithoutTheProductsGrain()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 20);
        var (first, _, firstAddress) = await shop.ShopperAsync((product.Id(), 1));
        await (await first.PostJsonAsync("/api/checkout", new { shipping_address_id = firstAddress })).JsonAsync(HttpStatusCode.Created);
        var (next, _, nextAddress) = await shop.ShopperAsync((product.Id(), 1));

        var grainCalls = (await CheckoutGrainSpansAsync(next, nextAddress)).Select(s => s.DisplayName).ToList();

        // The first buyer's batch asked the product for a lease with units to spare; this one's batch sells
        // from it: the lane is in its transaction, the product's grain is not called at all.
        Assert.Contains(grainCalls, name => Is(name, "StockLaneGrain", "SellAsync"));
        Assert.DoesNotContain(grainCalls, name => name.Contains("InventoryGrain", StringComparison.Ordinal));
    }

    /// <summary>The grain calls in the trace of one checkout, which must succeed (other tests' spans are already there).</summary>
    private async Task<List<Activity>> CheckoutGrainSpansAsync(HttpClient client, long addressId)
    {
        var earlier = fixture.CollectSpans().Count;
        var response = await client.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId });
        await response.JsonAsync(HttpStatusCode.Created);

        static bool IsTheCheckout(Activity s) => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") is "/api/checkout/" or "/api/checkout"
            && s.GetTagItem("http.response.status_code") is 201;
        var spans = await fixture.CollectSpansAsync(earlier, IsTheCheckout);
        var request = Assert.Single(spans, IsTheCheckout);
        return [.. spans.Where(s => s.TraceId == request.TraceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))];
    }

    private static bool Is(string name, string grain, string method) =>
        name.Contains(grain, StringComparison.Ordinal) && name.EndsWith(method, StringComparison.Ordinal);

    [Fact]
    public async Task ASoldOutProductIsRefusedOnTheSameSiloWithoutAskingItsGrainOrTheDesk()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 1, name: "Last Lamp");
        var (first, _, firstAddress) = await shop.ShopperAsync((product.Id(), 1));
        await (await first.PostJsonAsync("/api/checkout", new { shipping_address_id = firstAddress })).JsonAsync(HttpStatusCode.Created);
        var (late, _, lateAddress) = await shop.ShopperAsync((product.Id(), 1));

        // The desk that sold the last unit tells the product's grain the stock it left once its answer is on
        // its way, so the grain posts it on the silo's board a moment later; until then a refusal goes the long
        // way (the desk's allotment). Every refusal is the same exact answer; within seconds one must come off
        // the board: the buyer's cart asked, and neither the product's grain nor the desk.
        List<string> grainCalls = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        do
        {
            var earlier = fixture.CollectSpans().Count;
            await (await late.PostJsonAsync("/api/checkout", new { shipping_address_id = lateAddress }))
                .ProblemAsync(HttpStatusCode.Conflict, "Insufficient stock for 'Last Lamp'. Available: 0, Requested: 1");
            static bool IsTheRefusal(Activity s) => s.Kind == ActivityKind.Server && s.GetTagItem("http.route") is "/api/checkout/" or "/api/checkout"
                && s.GetTagItem("http.response.status_code") is 409;
            var spans = await fixture.CollectSpansAsync(earlier, IsTheRefusal);
            var request = Assert.Single(spans, IsTheRefusal);
            grainCalls = [.. spans.Where(s => s.TraceId == request.TraceId && s.Source.Name.StartsWith("Microsoft.Orleans", StringComparison.Ordinal))
                .Select(s => s.DisplayName)];
        }
        while (grainCalls.Any(name => name.Contains("InventoryGrain", StringComparison.Ordinal) || name.Contains("SalesDeskGrain", StringComparison.Ordinal))
            && DateTime.UtcNow < deadline);

        Assert.DoesNotContain(grainCalls, name => name.Contains("InventoryGrain", StringComparison.Ordinal));
        Assert.DoesNotContain(grainCalls, name => name.Contains("SalesDeskGrain", StringComparison.Ordinal));
        Assert.Contains(grainCalls, name => name.Contains("CartGrain", StringComparison.Ordinal) && name.EndsWith("StartCheckoutAsync", StringComparison.Ordinal));
        Assert.Equal((0, 0, 0), await shop.StockAsync(product.Id()));
    }

    [Fact]
    public async Task TheMetricsEndpointServesShopsMetricsInPrometheusFormat()
    {
        var shop = new ShopApi(fixture);
        var product = await shop.CreateProductAsync(stock: 1);
        var (client, _, addressId) = await shop.ShopperAsync((product.Id(), 1));
        await (await client.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);

        using var anonymous = fixture.CreateClient();
        var response = await anonymous.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("# TYPE shop_checkouts_total counter", text, StringComparison.Ordinal);
        Assert.Contains("shop_checkouts_total{", text, StringComparison.Ordinal);
        Assert.Contains($"shop_units_sold_total{{", text, StringComparison.Ordinal);
        Assert.Contains($"product_id=\"{product.Id()}\"", text, StringComparison.Ordinal);
        Assert.Contains("shop_checkout_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    private static Dictionary<string, long> Checkouts(IReadOnlyList<Metric> metrics)
    {
        var counts = new Dictionary<string, long>();
        foreach (var metric in metrics.Where(m => m.Name == "shop.checkouts"))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var outcome = Tag(point, "outcome") as string ?? "";
                counts[outcome] = counts.GetValueOrDefault(outcome) + point.GetSumLong();
            }
        }

        return counts;
    }

    private static long HistogramCount(IReadOnlyList<Metric> metrics, string name)
    {
        long count = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                count += point.GetHistogramCount();
            }
        }

        return count;
    }

    private static long Sum(IReadOnlyList<Metric> metrics, string name, params (string Key, object Value)[] tags)
    {
        long sum = 0;
        foreach (var metric in metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                var matches = true;
                foreach (var (key, value) in tags)
                {
                    matches &= Equals(Tag(point, key), value);
                }

                if (matches)
                {
                    sum += metric.MetricType.IsDouble() ? (long)point.GetSumDouble() : point.GetSumLong();
                }
            }
        }

        return sum;
    }

    private static object? Tag(in MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value;
            }
        }

        return null;
    }
}
