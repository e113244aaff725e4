using System.Net;
using System.Text;

namespace Shop.Tests.Api;

/// <summary>Bad requests of every kind get a 4xx problem response (never a 500), and nothing is changed by them.</summary>
[Collection(ApiCollection.Name)]
public sealed class BadInputTests(ApiFixture fixture)
{
    private static readonly string Long = new('x', 5000);

    private readonly ShopApi shop = new(fixture);

    [Fact]
    public async Task EveryRequestOfTheBadInputCorpusIsA4xxProblemAndChangesNothing()
    {
        var product = await shop.CreateProductAsync(stock: 10, price: 30.00m);
        var id = product.Id();
        var (customer, _, addressId) = await shop.ShopperAsync((id, 2));
        var placed = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        await (await customer.PostJsonAsync("/api/cart/items", new { product_id = id, quantity = 3 })).JsonAsync(HttpStatusCode.OK);
        using var admin = await shop.AdminAsync();
        var orderId = placed.Id();

        (HttpClient Client, HttpMethod Method, string Path, string? Body, HttpStatusCode Status)[] corpus =
        [
            (customer, HttpMethod.Post, "/api/cart/items", """{"product_id": 1, "quantity": }""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", """{"product_id": 1, "quan""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""[{"product_id": {{id}}, "quantity": 1}]""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": "5"}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": 1.5}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": 0}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": -1}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": 2147483648}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": 1000000000000}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{id}}, "quantity": true}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", "", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", "null", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", "{}", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", """{"product_id": "one", "quantity": 1}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", """{"product_id": 100000000000000000000000000000, "quantity": 1}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/cart/items", """{"product_id": 999999999, "quantity": 1}""", HttpStatusCode.NotFound),
            (customer, HttpMethod.Put, $"/api/cart/items/{id}", """{"quantity": -5}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Put, "/api/cart/items/abc", """{"quantity": 1}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-1", "name": "", "price": 1}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", $$"""{"sku": "BAD-2", "name": "{{Long}}", "price": 1}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", $$"""{"sku": "{{Long}}", "name": "n", "price": 1}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-3", "name": "n", "price": "abc"}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-4", "name": "n", "price": 1e30}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-5", "name": "n", "price": 1, "attributes": []}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-6", "name": "n", "price": 1, "attributes": {"weight": 1.5}}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/products", """{"sku": "BAD-7", "name": "n", "price": 1, "initial_stock": 10000000000}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Put, $"/api/products/{id}", """{"price": -1}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Put, $"/api/products/{id}", $$"""{"name": "{{Long}}"}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products?page=0", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products?limit=1000", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products?limit=0", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products?page=abc", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products?page=99999999999", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/products/999999999", null, HttpStatusCode.NotFound),
            (admin, HttpMethod.Get, "/api/products/abc", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, $"/api/inventory/{id}/adjustments", """{"delta": "x", "reason": "r"}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, $"/api/inventory/{id}/adjustments", """{"delta": -3}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, $"/api/inventory/{id}/adjustments", $$"""{"delta": -3, "reason": "{{Long}}"}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/checkout", """{}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/checkout", $$"""{"shipping_address_id": {{addressId}}, "notes": "{{Long}}"}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/checkout", $$"""{"shipping_address_id": {{addressId}}, "payment_method": "bitcoin"}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/checkout", """{"shipping_address_id": 999999999}""", HttpStatusCode.NotFound),
            (customer, HttpMethod.Post, "/api/checkout", $$"""{"shipping_address_id": {{addressId}}, "billing_address_id": 999999999}""", HttpStatusCode.NotFound),
            (customer, HttpMethod.Post, "/api/checkout", $$"""{"shipping_address_id": -{{addressId}}}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, "/api/addresses", $$"""{"full_name": "{{Long}}", "line1": "l", "city": "c", "postal_code": "p", "country": "GB"}""", HttpStatusCode.BadRequest),
            (customer, HttpMethod.Get, "/api/orders/abc", null, HttpStatusCode.BadRequest),
            (customer, HttpMethod.Get, "/api/orders/999999999", null, HttpStatusCode.NotFound),
            (customer, HttpMethod.Get, "/api/orders/me?status=lost", null, HttpStatusCode.BadRequest),
            (customer, HttpMethod.Get, "/api/orders/me?limit=101", null, HttpStatusCode.BadRequest),
            (customer, HttpMethod.Post, $"/api/orders/{orderId}/cancel?reason={Long}", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Put, $"/api/orders/{orderId}", "{}", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Put, $"/api/orders/{orderId}", """{"payment_status": 3}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Get, "/api/audit?entity_id=abc", null, HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/auth/token", """{"user_id": ""}""", HttpStatusCode.BadRequest),
            (admin, HttpMethod.Post, "/api/auth/token", """{"user_id": "u", "permissions": ["root"]}""", HttpStatusCode.BadRequest),
        ];

        var failures = new List<string>();
        foreach (var (client, method, path, body, status) in corpus)
        {
            using var request = new HttpRequestMessage(method, path);
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != status || response.Content.Headers.ContentType?.MediaType != "application/problem+json" || !text.Contains("\"detail\"", StringComparison.Ordinal))
            {
                failures.Add($"{method} {path[..Math.Min(path.Length, 60)]} {body?[..Math.Min(body.Length, 60)]} => {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}");
            }
        }

        Assert.True(corpus.Length >= 25);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));

        var text415 = await customer.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/cart/items") { Content = new StringContent("quantity=1", Encoding.UTF8, "text/plain") });
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, text415.StatusCode);

        // Nothing changed: stock, the product, the cart, the orders.
        Assert.Equal((8, 0, 8), await shop.StockAsync(id));
        using var anonymous = fixture.CreateClient();
        var reread = await (await anonymous.GetAsync($"/api/products/{id}")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(("T-Shirt Red - Medium", "30.00"), (reread["name"]!.GetValue<string>(), reread["price"]!.ToJsonString()));
        var cart = await (await customer.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(3, cart["total_items"]!.GetValue<int>());
        var orders = await (await customer.GetAsync("/api/orders/me")).JsonAsync(HttpStatusCode.OK);
        Assert.Equal(1, orders["total"]!.GetValue<long>());
        Assert.Equal("pending", orders["items"]![0]!["status"]!.GetValue<string>());
        var products = await (await anonymous.GetAsync("/api/products?limit=100&page=1")).JsonAsync(HttpStatusCode.OK);
        Assert.DoesNotContain(products["items"]!.AsArray(), p => p!["sku"]!.GetValue<string>().StartsWith("BAD-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ValidationProblemsNameTheField()
    {
        var product = await shop.CreateProductAsync(stock: 1);
        var (customer, _) = await shop.CustomerAsync();

        var problem = await (await customer.SendRawAsync(HttpMethod.Post, "/api/cart/items", $$"""{"product_id": {{product.Id()}}, "quantity": 2147483648}"""))
            .ProblemAsync(HttpStatusCode.BadRequest);

        Assert.Equal("quantity must be a whole number between -2147483648 and 2147483647.", problem["detail"]!.GetValue<string>());
        Assert.NotNull(problem["errors"]!["quantity"]);
    }
}
