using System.Net;

namespace Shop.Tests.Api;

/// <summary>The seed's "Testing the Flow" walk-through, over HTTP, one step after another.</summary>
[Collection(ApiCollection.Name)]
public sealed class TestingTheFlowTests(ApiFixture fixture)
{
    [Fact]
    public async Task TheSeedScenarioWorksStepByStepOverHttp()
    {
        var shop = new ShopApi(fixture);
        using var admin = await shop.AdminAsync();
        var (customer, userId) = await shop.CustomerAsync();

        // 1. An admin creates the product with 100 in stock.
        var created = await admin.PostJsonAsync("/api/products", new
        {
            sku = $"TS-RED-M-{Guid.NewGuid():N}",
            name = "T-Shirt Red - Medium",
            price = 30.00m,
            attributes = new { color = "red", size = "M" },
            initial_stock = 100,
        });
        var product = await created.JsonAsync(HttpStatusCode.Created);
        var productId = product.Id();
        Assert.Equal($"/api/products/{productId}", created.Headers.Location?.OriginalString);
        Assert.Equal(100, product["available_quantity"]!.GetValue<int>());

        // 2. The customer saves an address and puts 5 in the cart.
        var addressId = await ShopApi.AddAddressAsync(customer);
        var cart = await (await customer.PostJsonAsync("/api/cart/items", new { product_id = productId, quantity = 5 })).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(5, cart["total_items"]!.GetValue<int>());
        Assert.Equal("150.00", cart["subtotal"]!.ToJsonString());

        // 3. Checkout: 201 with the order.
        var checkout = await customer.PostJsonAsync("/api/checkout", new
        {
            shipping_address_id = addressId,
            billing_address_id = addressId,
            notes = "Please deliver before 5 PM",
            payment_method = "credit_card",
        });
        var order = await checkout.JsonAsync(HttpStatusCode.Created);
        var orderId = order.Id();
        Assert.Equal($"/api/orders/{orderId}", checkout.Headers.Location?.OriginalString);
        Assert.Matches("^ORD-[0-9]{8}-[0-9A-Z]{4,}$", order["order_number"]!.GetValue<string>());
        Assert.Equal(("pending", "pending", "credit_card"),
            (order["status"]!.GetValue<string>(), order["payment_status"]!.GetValue<string>(), order["payment_method"]!.GetValue<string>()));
        Assert.Equal(userId, order["user_id"]!.GetValue<string>());
        Assert.Equal("150.00", order["subtotal"]!.ToJsonString());
        Assert.Equal("0.00", order["tax_amount"]!.ToJsonString());
        Assert.Equal("150.00", order["total_amount"]!.ToJsonString());
        var item = order["items"]![0]!;
        Assert.Equal(("T-Shirt Red - Medium", 5, "30.00", "150.00"),
            (item["product_name"]!.GetValue<string>(), item["quantity"]!.GetValue<int>(), item["unit_price"]!.ToJsonString(), item["total_price"]!.ToJsonString()));
        Assert.Equal("red", item["attributes"]!["color"]!.GetValue<string>());
        Assert.Equal("London", order["shipping_address"]!["city"]!.GetValue<string>());
        Assert.Null(order["cancelled_at"]);

        // 4. Stock 95, reserved 0, available 95; the cart is empty.
        Assert.Equal((95, 0, 95), await shop.StockAsync(productId));
        var emptied = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Empty(emptied["items"]!.AsArray());

        // 5. The order shows in "my orders".
        var mine = await (await customer.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(orderId, mine["items"]![0]!.Id());

        // 6. Cancel: stock back to 100.
        var cancelled = await (await customer.PostAsync($"/api/orders/{orderId}/cancel?reason=Changed%20my%20mind", null)).JsonAsync(HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal("Changed my mind", cancelled["cancellation_reason"]!.GetValue<string>());
        Assert.Equal((100, 0, 100), await shop.StockAsync(productId));

        // 7. A second cancel is rejected and the stock stays.
        await (await customer.PostAsync($"/api/orders/{orderId}/cancel", null)).ProblemAsync(HttpStatusCode.Conflict,
            "Order with status 'cancelled' cannot be cancelled. Only pending or processing orders can be cancelled.");
        Assert.Equal((100, 0, 100), await shop.StockAsync(productId));

        // 8. The audit trail tells the story (newest first).
        var audit = await AuditAsync(admin, $"entity_type=Inventory&entity_id={productId}");
        var number = order["order_number"]!.GetValue<string>();
        Assert.Equal(
            [$"Restored 5 units from cancelled order {number}", $"Fulfilled 5 units for order {number}. Stock: 95, Reserved: 0"],
            audit);
    }

    private static async Task<List<string>> AuditAsync(HttpClient admin, string query)
    {
        // The audit log is projected after commit (well under a second): wait for it, bounded.
        for (var attempt = 0; ; attempt++)
        {
            var page = await (await admin.GetAsync($"/api/audit?{query}")).JsonAsync(HttpStatusCode.OK);
            var details = page["items"]!.AsArray().Select(e => e!["details"]!.GetValue<string>()).ToList();
            if (details.Count >= 2 || attempt == 50)
            {
                return details;
            }

            await Task.Delay(100);
        }
    }
}
