using System.Net;
using Npgsql;
using Shop.Tests.Api;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class OrderReadTests(DurableServers servers)
{
    /// <summary>
    /// After a flash sale its buyers look at their orders, again and again, and some ask for ids nobody
    /// was sold. Orders sold in a batch are read from the batch's committed orders, which the batch reads
    /// once (its one read stores a timestamp in its row) and then answers from memory: however many
    /// looks, a batch's row is written at most once, and no row appears for an order that has not changed
    /// since its sale, or for an unsold id. A changed order is answered from what its last change
    /// committed: its own row is not written by looks either.
    /// </summary>
    [Fact]
    public async Task LookingAtOrdersAfterASaleWritesTheirBatchAtMostOnceAndNothingElse()
    {
        await using var deployment = await servers.NewDeploymentAsync();
        await deployment.StartAsync(siloCount: 1);
        var shop = new ShopApi(deployment.ClientForAsync);
        var product = await shop.CreateProductAsync(stock: 40);
        var responses = await shop.FlashSaleAsync(product.Id(), buyers: 40, preparedInParallel: 16);
        var orderIds = new List<long>();
        foreach (var response in responses)
        {
            orderIds.Add((await response.JsonAsync(HttpStatusCode.Created)).Id());
        }

        await using var database = NpgsqlDataSource.Create(deployment.Postgres);
        var before = await SettledRowsAsync(database);
        Assert.Contains(before, row => row.State == "order-batch");
        using var admin = await shop.AdminAsync();
        foreach (var id in orderIds.Concat(orderIds).Concat(orderIds))
        {
            Assert.Equal(id, (await (await admin.GetAsync($"/api/orders/{id}")).JsonAsync(HttpStatusCode.OK)).Id());
        }

        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/orders/{orderIds.Max() + 1}")).StatusCode);
        var after = await RowsAsync(database);

        // Each batch's row: one write at most (its etag counts them); the orders' own rows are those of
        // orders sold alone, as before.
        var batchesBefore = before.Where(r => r.State == "order-batch").ToDictionary(r => r.Grain, r => r.Etag);
        var batchesAfter = after.Where(r => r.State == "order-batch").ToDictionary(r => r.Grain, r => r.Etag);
        Assert.Equal(batchesBefore.Keys.Order(), batchesAfter.Keys.Order());
        Assert.All(batchesAfter, batch => Assert.InRange(batch.Value - batchesBefore[batch.Key], 0, 1));
        Assert.Equal(before.Where(r => r.State == "order").Select(r => r.Grain), after.Where(r => r.State == "order").Select(r => r.Grain));

        // A changed order has a row of its own; looking at it, again and again, does not write it, and
        // every look shows the change.
        var cancelled = orderIds[0];
        Assert.Equal("cancelled", (await (await admin.PostAsync($"/api/orders/{cancelled}/cancel", null)).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        // Its row is the one order row the cancellation added.
        var row = (await SettledRowsAsync(database)).Except(after).Single(r => r.State == "order");
        for (var look = 0; look < 5; look++)
        {
            Assert.Equal("cancelled", (await (await admin.GetAsync($"/api/orders/{cancelled}")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        }

        Assert.Equal(row, (await RowsAsync(database)).Single(r => r.State == "order" && r.Grain == row.Grain));
    }

    private static async Task<List<(string State, string Grain, long Etag)>> RowsAsync(NpgsqlDataSource database)
    {
        await using var command = database.CreateCommand(
            "SELECT state_name, grain_id, etag FROM shop_transactional_state WHERE state_name IN ('order', 'order-batch') ORDER BY state_name, grain_id");
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<(string, string, long)>();
        while (await reader.ReadAsync())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2)));
        }

        return rows;
    }

    /// <summary>The rows once the sale's last commit confirmations (written after the buyers' answers) are in.</summary>
    private static async Task<List<(string State, string Grain, long Etag)>> SettledRowsAsync(NpgsqlDataSource database)
    {
        var rows = await RowsAsync(database);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            await Task.Delay(500);
            var again = await RowsAsync(database);
            if (again.SequenceEqual(rows))
            {
                return rows;
            }

            rows = again;
        }

        Assert.Fail("The sale's rows kept changing for 20 s.");
        return rows;
    }
}
