using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Shop.Tests.Api;

namespace Shop.Tests.Durable;

/// <summary>
/// Many buyers (each their own user with one unit of a hot product in the cart) checking out through
/// the API at a steady concurrency, and afterwards the books: every acknowledged order exists with its
/// stock taken, every rejected request changed nothing, and stock, orders and audit agree.
/// </summary>
public sealed class CheckoutStream(ShopDeployment deployment, int buyers, int stock)
{
    private readonly ConcurrentBag<Outcome> outcomes = [];
    private readonly ShopApi shop = new(deployment.ClientForAsync);
    private List<Buyer> prepared = [];
    private int completed;

    public long ProductId { get; private set; }

    public int Completed => Volatile.Read(ref completed);

    public IReadOnlyCollection<Outcome> Outcomes => outcomes;

    public async Task PrepareAsync()
    {
        ProductId = (await shop.CreateProductAsync(stock)).Id();
        var list = new Buyer[buyers];
        await Parallel.ForAsync(0, buyers, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
        {
            var (client, userId, addressId) = await shop.ShopperAsync((ProductId, 1));
            list[i] = new Buyer(client, userId, addressId);
        });
        prepared = [.. list];
    }

    public Task RunAsync(int concurrency)
    {
        var queue = new ConcurrentQueue<Buyer>(prepared);
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            while (queue.TryDequeue(out var buyer))
            {
                var started = DateTime.UtcNow;
                HttpStatusCode status;
                string body;
                try
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
                    {
                        Content = System.Net.Http.Json.JsonContent.Create(new { shipping_address_id = buyer.AddressId }),
                    };
                    request.Headers.Add("Idempotency-Key", $"stream-{buyer.UserId}");
                    var response = await buyer.Client.SendAsync(request);
                    status = response.StatusCode;
                    body = await response.Content.ReadAsStringAsync();
                }
                catch (Exception exception)
                {
                    status = 0;
                    body = exception.ToString();
                }

                outcomes.Add(new Outcome(buyer, status, body, DateTime.UtcNow - started));
                Interlocked.Increment(ref completed);
            }
        }));
    }

    /// <summary>Checks the books; <paramref name="restored"/> units went back through cancellations since.</summary>
    public async Task AssertBooksBalanceAsync(int restored = 0)
    {
        Assert.Equal(buyers, outcomes.Count);
        var unexpected = outcomes.Where(o => o.Status is not (HttpStatusCode.Created or HttpStatusCode.Conflict or HttpStatusCode.ServiceUnavailable)).ToList();
        var details = new List<string>();
        foreach (var o in unexpected.Take(5))
        {
            var mine = await (await o.Buyer.Client.GetAsync("/api/orders/me")).Content.ReadAsStringAsync();
            var cart = await (await o.Buyer.Client.GetAsync("/api/cart")).Content.ReadAsStringAsync();
            details.Add($"{(int)o.Status} after {o.Latency}: {o.Body[..Math.Min(400, o.Body.Length)]}\n  orders: {mine}\n  cart: {cart}");
        }

        if (unexpected.Count > 0 && deployment.Api is { } api)
        {
            // What the API logged about them (warnings and errors; the deployment logs nothing below).
            details.Add(ApiSaid(api));
        }

        Assert.True(unexpected.Count == 0, string.Join("\n", details));
        foreach (var rejected in outcomes.Where(o => o.Status != HttpStatusCode.Created))
        {
            Assert.Contains("\"detail\"", rejected.Body, StringComparison.Ordinal);
        }

        var acknowledged = outcomes.Where(o => o.Status == HttpStatusCode.Created).ToList();
        foreach (var outcome in outcomes)
        {
            var mine = await ReadAsync(outcome.Buyer.Client, "/api/orders/me");
            var cart = await ReadAsync(outcome.Buyer.Client, "/api/cart");
            if (outcome.Status == HttpStatusCode.Created)
            {
                var orderId = JsonNode.Parse(outcome.Body)!.Id();
                Assert.Equal(orderId, Assert.Single(mine["items"]!.AsArray())!.Id());
                await ReadAsync(outcome.Buyer.Client, $"/api/orders/{orderId}");
                Assert.Equal(0, cart["total_items"]!.GetValue<int>());
            }
            else
            {
                Assert.True(mine["total"]!.GetValue<long>() == 0, $"A request answered {(int)outcome.Status} after {outcome.Latency} created an order: {mine}\nIts answer: {outcome.Body}");
                Assert.Equal(1, cart["total_items"]!.GetValue<int>());
            }
        }

        var (finalStock, reserved, _) = await shop.StockAsync(ProductId);
        Assert.Equal(0, reserved);
        if (stock != finalStock + acknowledged.Count - restored)
        {
            Assert.Fail($"Stock {stock} at the start, {finalStock} now, {acknowledged.Count} orders acknowledged, {restored} restored.\n{await StockTrailAsync()}");
        }

        // The audit is projected from the outbox lanes once each transaction's commit is confirmed to
        // them. After a silo crash an acknowledged checkout's lane may still hold it prepared: the commit
        // is confirmed again every 3 s, an attempt still addressed to the dead silo fails (at worst after
        // the 15 s response timeout), and then the lane looks every 2 s at most. Hence the longer bound.
        using var admin = await shop.AdminAsync();
        try
        {
            await Eventually.HasAsync(admin, $"/api/audit?entity_type=Inventory&entity_id={ProductId}&action=ORDER_FULFILLED", acknowledged.Count, TimeSpan.FromSeconds(45));
        }
        catch (Xunit.Sdk.XunitException missing)
        {
            Assert.Fail($"{missing.Message}\n{await LanesSayAsync(admin, acknowledged.Count)}\n{await StockTrailAsync()}");
        }

        var fulfilled = await (await admin.GetAsync($"/api/audit?entity_type=Inventory&entity_id={ProductId}&action=ORDER_FULFILLED&limit=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(acknowledged.Count, fulfilled["total"]!.GetValue<long>());
        var restoredEntries = await (await admin.GetAsync($"/api/audit?entity_type=Inventory&entity_id={ProductId}&action=STOCK_RESTORED&limit=1")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(restored, restoredEntries["total"]!.GetValue<long>());
    }

    /// <summary>A read a user would make after the sale: it must answer 200; if not, the failure says what the API logged.</summary>
    private async Task<JsonNode> ReadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            var said = deployment.Api is { } api ? ApiSaid(api) : "";
            Assert.Fail($"GET {url} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}\n{said}");
        }

        return await response.JsonAsync(HttpStatusCode.OK);
    }

    /// <summary>The API's warnings and failures (the deployment logs nothing below warnings).</summary>
    private static string ApiSaid(Docs.ShopProcess api) =>
        "API said:\n" + string.Join('\n', api.Output.Split('\n')
            .Where(l => l.Contains("fail", StringComparison.Ordinal) || l.Contains("Exception", StringComparison.Ordinal) || l.Contains("trying again", StringComparison.Ordinal))
            .TakeLast(80));

    /// <summary>
    /// For an audit that stays short: whether the missing entries were late or lost. Every outbox lane is
    /// told to project what it holds committed (a lane still holding an unresolved transaction waits for
    /// it, or fails after the response timeout), then the audit is counted again.
    /// </summary>
    private async Task<string> LanesSayAsync(HttpClient admin, int acknowledged)
    {
        var client = await deployment.ClusterClientAsync();
        var lanes = new List<string>();
        for (var lane = 0; lane < new Shop.Grains.OutboxOptions().Lanes; lane++)
        {
            try
            {
                var events = await client.GetGrain<IOutboxGrain>(lane).FlushAsync().WaitAsync(TimeSpan.FromSeconds(30));
                lanes.Add($"{lane}: {events}");
            }
            catch (Exception exception)
            {
                lanes.Add($"{lane}: {exception.GetType().Name}");
            }
        }

        var fulfilled = await (await admin.GetAsync($"/api/audit?entity_type=Inventory&entity_id={ProductId}&action=ORDER_FULFILLED&limit=1")).JsonAsync(HttpStatusCode.OK);
        return $"events each lane projected when told to: {string.Join(", ", lanes)}; "
            + $"then {fulfilled["total"]} of {acknowledged} fulfilments in the audit (all: the missing ones were late; fewer: lost)";
    }

    /// <summary>
    /// For a stock that does not balance: the audit's fulfilments (each names the stock it left, so a
    /// level named twice is a lost update), the orders no fulfilment names, and what the silos warned of.
    /// </summary>
    private async Task<string> StockTrailAsync()
    {
        using var admin = await shop.AdminAsync();
        var details = new List<string>();
        for (var page = 1; ; page++)
        {
            var entries = (await (await admin.GetAsync($"/api/audit?entity_type=Inventory&entity_id={ProductId}&action=ORDER_FULFILLED&limit=100&page={page}")).JsonAsync(HttpStatusCode.OK))["items"]!.AsArray();
            details.AddRange(entries.Select(e => e!["details"]!.GetValue<string>()));
            if (entries.Count < 100)
            {
                break;
            }
        }

        var levels = details.GroupBy(d => d[d.IndexOf("Stock:", StringComparison.Ordinal)..]).Where(g => g.Count() > 1).Select(g => string.Join(" | ", g));
        var acknowledged = outcomes.Where(o => o.Status == HttpStatusCode.Created).Select(o => JsonNode.Parse(o.Body)!["order_number"]!.GetValue<string>());
        var unfulfilled = acknowledged.Where(number => !details.Any(d => d.Contains(number, StringComparison.Ordinal)));
        // A console log entry is a "warn: Category[id]" line and the message on the lines after it.
        // Each silo's last ones (the survivor's would otherwise be crowded out by the replacement's).
        var warnings = deployment.Silos.SelectMany((silo, i) => Entries(silo.Output)
            .Where(e => e.StartsWith("warn", StringComparison.Ordinal) || e.StartsWith("fail", StringComparison.Ordinal) || e.Contains("doubt", StringComparison.Ordinal))
            .Select(e => $"silo {i}: {e[..Math.Min(e.Length, 600)]}")
            .TakeLast(25));
        return $"{details.Count} fulfilments in the audit; levels named more than once: {string.Join("; ", levels)}\n"
            + $"acknowledged orders without a fulfilment: {string.Join(", ", unfulfilled)}\nsilos warned:\n{string.Join('\n', warnings)}";
    }

    private static IEnumerable<string> Entries(string output)
    {
        var entry = new System.Text.StringBuilder();
        foreach (var line in output.Split('\n'))
        {
            if (!line.StartsWith(' ') && entry.Length > 0)
            {
                yield return entry.ToString();
                entry.Clear();
            }

            entry.Append(entry.Length > 0 ? " " + line.Trim() : line.Trim());
        }

        if (entry.Length > 0)
        {
            yield return entry.ToString();
        }
    }

    /// <summary>How the requests ended: counts per status and the slowest answer.</summary>
    public string Summary() =>
        string.Join(", ", outcomes.GroupBy(o => (int)o.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}"))
        + $"; slowest {outcomes.Max(o => o.Latency).TotalSeconds:F1} s";

    public sealed record Buyer(HttpClient Client, string UserId, long AddressId);

    public sealed record Outcome(Buyer Buyer, HttpStatusCode Status, string Body, TimeSpan Latency);
}
