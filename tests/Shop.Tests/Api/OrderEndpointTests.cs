using System.Net;
using System.Text.Json.Nodes;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class OrderEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task MyOrdersAreNewestFirstPagedAndFilteredByStatus()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync();
        var ids = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            await (await customer.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 1 })).JsonAsync(HttpStatusCode.OK);
            ids.Add((await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created)).Id());
        }

        await (await customer.PostAsync($"/api/orders/{ids[0]}/cancel", null)).JsonAsync(HttpStatusCode.OK);

        var page = await (await customer.GetAsync("/api/orders/me?page=1&limit=2")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal([ids[2], ids[1]], page["items"]!.AsArray().Select(o => o!.Id()));
        Assert.Equal((3L, 2L), (page["total"]!.GetValue<long>(), page["pages"]!.GetValue<long>()));
        var summary = page["items"]![0]!.AsObject();
        Assert.Equal(
            ["created_at", "id", "order_number", "payment_status", "status", "total_amount", "total_items"],
            summary.Select(p => p.Key).Order(StringComparer.Ordinal));
        var cancelled = await (await customer.GetAsync("/api/orders/me?status=cancelled")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(ids[0], Assert.Single(cancelled["items"]!.AsArray())!.Id());
    }

    [Fact]
    public async Task StaffReadAnyOrderAndChangeItsStatus()
    {
        var (orderId, number, _) = await PlaceOrderAsync();
        using var staff = await shop.AdminAsync();

        var order = await (await staff.GetAsync($"/api/orders/{orderId}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(number, order["order_number"]!.GetValue<string>());

        var processing = await (await staff.PutJsonAsync($"/api/orders/{orderId}", new { status = "processing", payment_status = "paid" }))
            .JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("processing", "paid"), (processing["status"]!.GetValue<string>(), processing["payment_status"]!.GetValue<string>()));

        await (await staff.PutJsonAsync($"/api/orders/{orderId}", new { status = "delivered" }))
            .ProblemAsync(HttpStatusCode.Conflict, "Cannot change order status from 'processing' to 'delivered'.");
        await (await staff.PutJsonAsync($"/api/orders/{orderId}", new { payment_status = "failed" }))
            .ProblemAsync(HttpStatusCode.Conflict, "Cannot change payment status from 'paid' to 'failed'.");
        await (await staff.PutJsonAsync($"/api/orders/{orderId}", new { status = "lost" })).ProblemAsync(HttpStatusCode.BadRequest);
        await (await staff.PutJsonAsync("/api/orders/424242424", new { status = "processing" })).ProblemAsync(HttpStatusCode.NotFound, "Order 424242424 not found.");
    }

    [Fact]
    public async Task CancellingAShippedOrderIs409AndAPaidOneIsRefunded()
    {
        using var staff = await shop.AdminAsync();
        var (shippedId, _, customer) = await PlaceOrderAsync();
        await (await staff.PutJsonAsync($"/api/orders/{shippedId}", new { status = "processing" })).JsonAsync(HttpStatusCode.OK);
        await (await staff.PutJsonAsync($"/api/orders/{shippedId}", new { status = "shipped" })).JsonAsync(HttpStatusCode.OK);

        await (await customer.PostAsync($"/api/orders/{shippedId}/cancel", null)).ProblemAsync(HttpStatusCode.Conflict,
            "Order with status 'shipped' cannot be cancelled. Only pending or processing orders can be cancelled.");

        var (paidId, _, _) = await PlaceOrderAsync();
        await (await staff.PutJsonAsync($"/api/orders/{paidId}", new { payment_status = "paid" })).JsonAsync(HttpStatusCode.OK);
        var cancelled = await (await staff.PostAsync($"/api/orders/{paidId}/cancel?reason=out%20of%20stock", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("cancelled", "refunded"), (cancelled["status"]!.GetValue<string>(), cancelled["payment_status"]!.GetValue<string>()));
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", cancelled["cancelled_at"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheAdminListingAndStatisticsCatchUpWithCommits()
    {
        var (orderId, _, _) = await PlaceOrderAsync();
        using var staff = await shop.AdminAsync();
        var before = await (await staff.GetAsync("/api/orders/statistics")).JsonAsync(HttpStatusCode.OK);

        await Eventually.HasAsync(staff, $"/api/orders?user_id={await OwnerOfAsync(staff, orderId)}", 1);
        var (secondId, _, _) = await PlaceOrderAsync();
        await Eventually.HasAsync(staff, $"/api/orders?user_id={await OwnerOfAsync(staff, secondId)}", 1);

        var pending = await (await staff.GetAsync("/api/orders?status=pending&limit=100")).JsonAsync(HttpStatusCode.OK);
        Assert.All(pending["items"]!.AsArray(), o => Assert.Equal("pending", o!["status"]!.GetValue<string>()));
        var after = await (await staff.GetAsync("/api/orders/statistics")).JsonAsync(HttpStatusCode.OK);
        Assert.True(after["total_orders"]!.GetValue<long>() >= before["total_orders"]!.GetValue<long>() + 1);
        Assert.Equal(
            ["cancelled", "delivered", "pending", "processing", "shipped"],
            after["orders_by_status"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(after["total_revenue"]);
        Assert.NotNull(after["units_sold"]);
        Assert.NotNull(after["average_order_value"]);
    }

    private static async Task<string> OwnerOfAsync(HttpClient staff, long orderId) =>
        (await (await staff.GetAsync($"/api/orders/{orderId}")).JsonAsync(HttpStatusCode.OK))["user_id"]!.GetValue<string>();

    private async Task<(long Id, string Number, HttpClient Customer)> PlaceOrderAsync()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 2));
        JsonNode order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        return (order.Id(), order["order_number"]!.GetValue<string>(), customer);
    }
}
