using System.Net;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuditAndOperationsEndpointTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task TheAuditTrailIsFilteredByEntityAndAction()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, userId, addressId) = await shop.ShopperAsync((product.Id(), 4));
        var order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        using var auditor = await fixture.ClientForAsync("auditor", "audit:read");
        var number = order["order_number"]!.GetValue<string>();

        await Eventually.HasAsync(auditor, $"/api/audit?entity_type=Order&entity_id={order.Id()}", 1);
        var created = await (await auditor.GetAsync($"/api/audit?entity_type=Order&entity_id={order.Id()}&action=CREATE")).JsonAsync(HttpStatusCode.OK);
        var entry = Assert.Single(created["items"]!.AsArray())!;
        Assert.Equal(
            ("CREATE", "Order", order.Id(), $"Order {number} created with 4 items", userId),
            (entry["action"]!.GetValue<string>(), entry["entity_type"]!.GetValue<string>(), entry["entity_id"]!.GetValue<long>(),
             entry["details"]!.GetValue<string>(), entry["user_id"]!.GetValue<string>()));
        Assert.True(entry["id"]!.GetValue<long>() > 0);
        Assert.Matches(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$", entry["created_at"]!.GetValue<string>());

        var fulfilled = await (await auditor.GetAsync($"/api/audit?entity_type=Inventory&entity_id={product.Id()}&action=ORDER_FULFILLED")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal($"Fulfilled 4 units for order {number}. Stock: 6, Reserved: 0", Assert.Single(fulfilled["items"]!.AsArray())!["details"]!.GetValue<string>());
        await (await auditor.GetAsync("/api/audit?entity_type=Customer")).ProblemAsync(HttpStatusCode.BadRequest);
        await (await auditor.GetAsync("/api/audit?action=DELETED")).ProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task HealthEndpointsAnswer()
    {
        using var anonymous = fixture.CreateClient();

        var live = await (await anonymous.GetAsync("/health/live")).JsonAsync(HttpStatusCode.OK);
        var ready = await (await anonymous.GetAsync("/health/ready")).JsonAsync(HttpStatusCode.OK);

        Assert.Equal("healthy", live["status"]!.GetValue<string>());
        Assert.Equal("healthy", ready["status"]!.GetValue<string>());
        Assert.Equal("cluster", ready["checks"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public async Task TheOpenApiDocumentIsValidJsonAndListsEveryContractPath()
    {
        using var anonymous = fixture.CreateClient();

        var document = await (await anonymous.GetAsync("/openapi/v1.json")).JsonAsync(HttpStatusCode.OK);

        var paths = document["paths"]!.AsObject();
        string[][] contract =
        [
            ["/api/auth/token", "post"], ["/api/products", "get"], ["/api/products", "post"], ["/api/products/{id}", "get"],
            ["/api/products/{id}", "put"], ["/api/inventory", "get"], ["/api/inventory/{product_id}", "get"],
            ["/api/inventory/{product_id}/adjustments", "post"], ["/api/cart", "get"], ["/api/cart", "delete"], ["/api/cart/items", "post"],
            ["/api/cart/items/{product_id}", "put"], ["/api/cart/items/{product_id}", "delete"], ["/api/addresses", "post"],
            ["/api/addresses", "get"], ["/api/checkout", "post"], ["/api/orders/me", "get"], ["/api/orders/{id}", "get"],
            ["/api/orders/{id}/cancel", "post"], ["/api/orders", "get"], ["/api/orders/{id}", "put"], ["/api/orders/statistics", "get"],
            ["/api/audit", "get"], ["/health/live", "get"], ["/health/ready", "get"],
        ];
        foreach (var entry in contract)
        {
            Assert.True(paths[entry[0]]?[entry[1]] is not null, $"{entry[1].ToUpperInvariant()} {entry[0]} is missing from the OpenAPI document");
        }

        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["Bearer"]!["scheme"]!.GetValue<string>());
        var checkout = paths["/api/checkout"]!["post"]!;
        Assert.NotNull(checkout["security"]);
        Assert.NotNull(checkout["responses"]!["201"]);
        Assert.NotNull(checkout["responses"]!["401"]);
        Assert.NotNull(document["components"]!["schemas"]!["OrderResponse"]!["properties"]!["order_number"]);
    }
}
