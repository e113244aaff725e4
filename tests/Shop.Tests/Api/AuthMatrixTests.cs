using System.Net;
using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class AuthMatrixTests(ApiFixture fixture)
{
    private readonly ShopApi shop = new(fixture);

    public static TheoryData<string> BadTokens => new() { "none", "malformed", "expired", "foreign-key", "wrong-audience" };

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task ABadTokenIs401AndChangesNothing(string kind)
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (owner, _, addressId) = await shop.ShopperAsync((product.Id(), 1));
        using var client = fixture.CreateClient();
        client.DefaultRequestHeaders.Authorization = kind switch
        {
            "none" => null,
            "malformed" => new AuthenticationHeaderValue("Bearer", "not.a.jwt"),
            "expired" => new AuthenticationHeaderValue("Bearer", Token(DevelopmentKey(), DateTime.UtcNow.AddHours(-2), "shop-api")),
            "foreign-key" => new AuthenticationHeaderValue("Bearer", Token("an-entirely-different-signing-key-0123456789", DateTime.UtcNow.AddHours(1), "shop-api")),
            _ => new AuthenticationHeaderValue("Bearer", Token(DevelopmentKey(), DateTime.UtcNow.AddHours(1), "another-api")),
        };

        await (await client.GetAsync("/api/cart")).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostJsonAsync("/api/cart/items", new { product_id = product.Id(), quantity = 1 })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.PostJsonAsync("/api/products", new { sku = "X-1", name = "x", price = 1m })).ProblemAsync(HttpStatusCode.Unauthorized);
        await (await client.GetAsync("/api/orders/me")).ProblemAsync(HttpStatusCode.Unauthorized);

        Assert.Equal((10, 0, 10), await shop.StockAsync(product.Id()));
        Assert.Equal(1, (await (await owner.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK))["total_items"]!.GetValue<int>());
    }

    [Fact]
    public async Task ACustomerIsForbiddenOnEveryAdminEndpointAndNothingChanges()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (customer, _, addressId) = await shop.ShopperAsync((product.Id(), 1));
        var order = await (await customer.PostJsonAsync("/api/checkout", new { shipping_address_id = addressId })).JsonAsync(HttpStatusCode.Created);
        var id = product.Id();

        HttpRequestMessage[] adminRequests =
        [
            Json(HttpMethod.Post, "/api/products", new { sku = $"F-{Guid.NewGuid():N}", name = "x", price = 1m }),
            Json(HttpMethod.Put, $"/api/products/{id}", new { price = 0.01m }),
            new(HttpMethod.Get, "/api/inventory"),
            new(HttpMethod.Get, $"/api/inventory/{id}"),
            Json(HttpMethod.Post, $"/api/inventory/{id}/adjustments", new { delta = -9, reason = "theft" }),
            new(HttpMethod.Get, "/api/orders"),
            Json(HttpMethod.Put, $"/api/orders/{order.Id()}", new { status = "processing" }),
            new(HttpMethod.Get, "/api/orders/statistics"),
            new(HttpMethod.Get, "/api/audit"),
        ];
        foreach (var request in adminRequests)
        {
            await (await customer.SendAsync(request)).ProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal((9, 0, 9), await shop.StockAsync(id));
        using var anonymous = fixture.CreateClient();
        Assert.Equal("30.00", (await (await anonymous.GetAsync($"/api/products/{id}")).JsonAsync(HttpStatusCode.OK))["price"]!.ToJsonString());
        Assert.Equal("pending", (await (await customer.GetAsync($"/api/orders/{order.Id()}")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnotherUsersOrderAddressAndCancellationAre404AndChangeNothing()
    {
        var product = await shop.CreateProductAsync(stock: 10);
        var (owner, _, ownerAddress) = await shop.ShopperAsync((product.Id(), 2));
        var order = await (await owner.PostJsonAsync("/api/checkout", new { shipping_address_id = ownerAddress })).JsonAsync(HttpStatusCode.Created);
        var (stranger, _, _) = await shop.ShopperAsync((product.Id(), 1));

        await (await stranger.GetAsync($"/api/orders/{order.Id()}")).ProblemAsync(HttpStatusCode.NotFound, $"Order {order.Id()} not found.");
        await (await stranger.PostAsync($"/api/orders/{order.Id()}/cancel", null)).ProblemAsync(HttpStatusCode.NotFound, $"Order {order.Id()} not found.");
        await (await stranger.PostJsonAsync("/api/checkout", new { shipping_address_id = ownerAddress }))
            .ProblemAsync(HttpStatusCode.NotFound, $"Address {ownerAddress} not found.");

        Assert.Equal("pending", (await (await owner.GetAsync($"/api/orders/{order.Id()}")).JsonAsync(HttpStatusCode.OK))["status"]!.GetValue<string>());
        Assert.Equal((8, 0, 8), await shop.StockAsync(product.Id()));
        Assert.Equal(1, (await (await stranger.GetAsync("/api/cart")).JsonAsync(HttpStatusCode.OK))["total_items"]!.GetValue<int>());
    }

    private string DevelopmentKey() =>
        fixture.Services.GetRequiredService<IConfiguration>()["Shop:Auth:DevelopmentTokens:SigningKey"]!;

    private static string Token(string key, DateTime expires, string audience) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "shop-development",
        Audience = audience,
        Subject = new ClaimsIdentity([new Claim("sub", "intruder")]),
        IssuedAt = expires.AddHours(-1),
        NotBefore = expires.AddHours(-1),
        Expires = expires,
        SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256),
    });

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = System.Net.Http.Json.JsonContent.Create(body) };
}
