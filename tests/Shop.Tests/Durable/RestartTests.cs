using System.Net;
using System.Text.Json.Nodes;
using Shop.Tests.Api;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class RestartTests(DurableServers servers)
{
    [Fact]
    public async Task EverythingIsBackAfterEverySiloAndTheApiRestart()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 2);
        var users = new Dictionary<string, string>();
        var (products, orders, keyed) = await ArrangeAsync(deployment, users);
        var before = await SnapshotAsync(deployment, users, products, orders);

        await deployment.StopAllAsync();
        await deployment.StartAsync(siloCount: 2);

        var after = await SnapshotAsync(deployment, users, products, orders);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (what, value) in before)
        {
            Assert.True(value == after[what], $"{what} changed across the restart:\nbefore {value}\nafter  {after[what]}");
        }

        // A retried idempotency key still returns its order, and changes nothing.
        using var first = await deployment.ClientForAsync(users["first"]);
        var replay = await first.SendAsync(CheckoutWithKey(keyed.AddressId, keyed.Key));
        Assert.Equal(keyed.OrderId, (await replay.JsonAsync(HttpStatusCode.OK)).Id());

        // New orders get ids and numbers no earlier order has.
        using var waiting = await deployment.ClientForAsync(users["waiting"]);
        var addressId = (await (await waiting.GetAsync("/api/addresses")).JsonAsync(HttpStatusCode.OK))["items"]![0]!.Id();
        var fresh = await (await waiting.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        Assert.DoesNotContain(fresh.Id(), orders.Select(o => o.Id));
        Assert.DoesNotContain(fresh["order_number"]!.GetValue<string>(), orders.Select(o => o.Number));
    }

    private static async Task<(List<long> Products, List<(long Id, string Number, string User)> Orders, (long OrderId, long AddressId, string Key) Keyed)> ArrangeAsync(
        ShopDeployment deployment, Dictionary<string, string> users)
    {
        var shop = new ShopApi(deployment.ClientForAsync);
        using var admin = await shop.AdminAsync();
        var shirt = (await shop.CreateProductAsync(stock: 20)).Id();
        var mug = (await shop.CreateProductAsync(stock: 10, price: 12.50m, name: "Mug")).Id();
        await (await admin.PostJsonAsync($"/api/inventory/{shirt}/adjustments", new { delta = 5, reason = "delivery" })).JsonAsync(HttpStatusCode.OK);
        var orders = new List<(long, string, string)>();

        async Task<(HttpClient Client, long AddressId, JsonNode Order)> OrderAsync(string name, string? key, params (long, int)[] lines)
        {
            var (client, userId, addressId) = await shop.ShopperAsync(lines);
            users[name] = userId;
            var order = await (await client.SendAsync(CheckoutWithKey(addressId, key))).JsonAsync(HttpStatusCode.Created);
            orders.Add((order.Id(), order["order_number"]!.GetValue<string>(), userId));
            return (client, addressId, order);
        }

        var key = Guid.NewGuid().ToString();
        var (_, firstAddress, firstOrder) = await OrderAsync("first", key, (shirt, 2));
        var (cancelling, _, cancelled) = await OrderAsync("cancelling", Guid.NewGuid().ToString(), (shirt, 1), (mug, 1));
        await (await cancelling.PostAsync($"/api/orders/{cancelled.Id()}/cancel?reason=changed", null)).JsonAsync(HttpStatusCode.OK);
        var (_, _, shipped) = await OrderAsync("shipping", null, (mug, 3));
        foreach (var change in new object[] { new { payment_status = "paid" }, new { status = "processing" }, new { status = "shipped" } })
        {
            await (await admin.PutJsonAsync($"/api/orders/{shipped.Id()}", change)).JsonAsync(HttpStatusCode.OK);
        }

        var (_, waiting, _) = await shop.ShopperAsync((shirt, 4), (mug, 1));
        users["waiting"] = waiting;
        await (await admin.PutJsonAsync($"/api/products/{mug}", new { price = 14.00m })).JsonAsync(HttpStatusCode.OK);
        return ([shirt, mug], orders, (firstOrder.Id(), firstAddress, key));
    }

    /// <summary>Everything a user or an admin can read, as JSON text, keyed by what it is.</summary>
    private static async Task<Dictionary<string, string>> SnapshotAsync(
        ShopDeployment deployment, Dictionary<string, string> users, List<long> products, List<(long Id, string Number, string User)> orders)
    {
        var snapshot = new Dictionary<string, string>();
        using var admin = await deployment.ClientForAsync("admin", ShopApi.AllPermissions);
        foreach (var product in products)
        {
            snapshot[$"product {product}"] = await TextAsync(admin, $"/api/products/{product}");
            snapshot[$"inventory {product}"] = await TextAsync(admin, $"/api/inventory/{product}");
        }

        foreach (var (name, userId) in users)
        {
            using var user = await deployment.ClientForAsync(userId);
            snapshot[$"cart of {name}"] = await TextAsync(user, "/api/cart");
            snapshot[$"addresses of {name}"] = await TextAsync(user, "/api/addresses");
            snapshot[$"orders of {name}"] = await TextAsync(user, "/api/orders/me");
        }

        var states = new Dictionary<long, (string Status, string Payment)>();
        foreach (var order in orders)
        {
            var details = await (await admin.GetAsync($"/api/orders/{order.Id}")).JsonAsync(HttpStatusCode.OK);
            snapshot[$"order {order.Id}"] = details.ToJsonString();
            states[order.Id] = (details["status"]!.GetValue<string>(), details["payment_status"]!.GetValue<string>());
        }

        // The listing and the statistics are projected after commit: read them once they show every order as it is
        // (the last status change may be a moment behind), or a restart would seem to change what only caught up.
        await Eventually.ShowsAsync(
            admin,
            "/api/orders?limit=100",
            page => states.All(order => page["items"]!.AsArray().Any(item =>
                item is not null
                && item.Id() == order.Key
                && item["status"]!.GetValue<string>() == order.Value.Status
                && item["payment_status"]!.GetValue<string>() == order.Value.Payment)),
            $"every order's current status ({string.Join(", ", states.Select(s => $"{s.Key}: {s.Value.Status}/{s.Value.Payment}"))})");
        snapshot["statistics"] = await TextAsync(admin, "/api/orders/statistics");
        snapshot["all orders"] = await TextAsync(admin, "/api/orders?limit=100");
        return snapshot;
    }

    private static async Task<string> TextAsync(HttpClient client, string path) =>
        (await (await client.GetAsync(path)).JsonAsync(HttpStatusCode.OK)).ToJsonString();

    private static HttpRequestMessage CheckoutWithKey(long addressId, string? key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/checkout")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { shipping_address_id = addressId }),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return request;
    }
}
