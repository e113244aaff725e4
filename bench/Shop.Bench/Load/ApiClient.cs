using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Shop.Bench.Load;

/// <summary>
/// The contract's calls the benchmark makes outside the timed phase: tokens, products, addresses, carts,
/// and the admin reads that verify the sale. Both targets serve them. A 503 (nothing acknowledged) is
/// retried a few times; any other failure stops the run with what the server said.
/// </summary>
public sealed class ApiClient(HttpClient http)
{
    public static readonly IReadOnlyList<string> AdminPermissions =
        ["orders:read", "orders:update", "products:write", "inventory:read", "inventory:write", "audit:read"];

    private const int Attempts = 4;

    public async Task<string> TokenAsync(string userId, IReadOnlyList<string> permissions, CancellationToken cancellation)
    {
        var body = await SendAsync(() => Post("/api/auth/token", null, new JsonObject
        {
            ["user_id"] = userId,
            ["permissions"] = new JsonArray([.. permissions.Select(p => JsonValue.Create(p))]),
        }), HttpStatusCode.OK, cancellation);
        return body["access_token"]!.GetValue<string>();
    }

    public async Task<long> CreateProductAsync(string adminToken, string sku, string name, decimal price, int stock, CancellationToken cancellation)
    {
        var body = await SendAsync(() => Post("/api/products", adminToken, new JsonObject
        {
            ["sku"] = sku,
            ["name"] = name,
            ["price"] = price,
            ["attributes"] = new JsonObject { ["edition"] = "flash-sale" },
            ["initial_stock"] = stock,
        }), HttpStatusCode.Created, cancellation);
        return body["id"]!.GetValue<long>();
    }

    public async Task<long> CreateAddressAsync(string token, string fullName, CancellationToken cancellation)
    {
        var body = await SendAsync(() => Post("/api/addresses", token, new JsonObject
        {
            ["full_name"] = fullName,
            ["line1"] = "12 Analytical Way",
            ["city"] = "London",
            ["postal_code"] = "N1 9GU",
            ["country"] = "GB",
        }), HttpStatusCode.Created, cancellation);
        return body["id"]!.GetValue<long>();
    }

    public async Task AddToCartAsync(string token, long productId, int quantity, CancellationToken cancellation) =>
        await SendAsync(() => Post("/api/cart/items", token, new JsonObject { ["product_id"] = productId, ["quantity"] = quantity }), HttpStatusCode.OK, cancellation);

    public async Task<int> StockAsync(string adminToken, long productId, CancellationToken cancellation)
    {
        var body = await SendAsync(() => Get(string.Create(CultureInfo.InvariantCulture, $"/api/inventory/{productId}"), adminToken), HttpStatusCode.OK, cancellation);
        return body["stock_quantity"]!.GetValue<int>();
    }

    /// <summary>The <c>total</c> of a paged listing (<c>?limit=1</c> keeps the page small).</summary>
    public async Task<long> TotalAsync(string token, string pathAndQuery, CancellationToken cancellation)
    {
        var body = await SendAsync(() => Get(pathAndQuery, token), HttpStatusCode.OK, cancellation);
        return body["total"]!.GetValue<long>();
    }

    private static HttpRequestMessage Post(string path, string? token, JsonObject body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static HttpRequestMessage Get(string path, string token) =>
        new(HttpMethod.Get, path) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private async Task<JsonNode> SendAsync(Func<HttpRequestMessage> request, HttpStatusCode expected, CancellationToken cancellation)
    {
        for (var attempt = 1; ; attempt++)
        {
            using var message = request();
            using var response = await http.SendAsync(message, cancellation);
            var text = await response.Content.ReadAsStringAsync(cancellation);
            if (response.StatusCode == expected)
            {
                return JsonNode.Parse(text) ?? new JsonObject();
            }

            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == Attempts)
            {
                throw new BenchRunException($"{message.Method} {message.RequestUri} answered {(int)response.StatusCode} (expected {(int)expected}): {Shorten(text)}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), cancellation);
        }
    }

    private static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";
}
