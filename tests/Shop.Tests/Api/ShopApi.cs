using System.Net;
using System.Text.Json.Nodes;

namespace Shop.Tests.Api;

/// <summary>Arranges scenarios over HTTP with fresh users and SKUs, so tests never share state.</summary>
/// <param name="clientFor">An HTTP client of the API with a development token for a user and permissions.</param>
public sealed class ShopApi(Func<string, string[], Task<HttpClient>> clientFor)
{
    public ShopApi(ApiFixture api)
        : this(api.ClientForAsync)
    {
    }

    public static readonly string[] AllPermissions =
        ["orders:read", "orders:update", "products:write", "inventory:read", "inventory:write", "audit:read"];

    public static string NewUserId() => $"u-{Guid.NewGuid():N}";

    public Task<HttpClient> AdminAsync() => clientFor($"admin-{Guid.NewGuid():N}", AllPermissions);

    public async Task<(HttpClient Client, string UserId)> CustomerAsync()
    {
        var userId = NewUserId();
        return (await clientFor(userId, []), userId);
    }

    public async Task<JsonNode> CreateProductAsync(int stock, decimal price = 30.00m, string name = "T-Shirt Red - Medium")
    {
        using var admin = await AdminAsync();
        var response = await admin.PostJsonAsync("/api/products", new
        {
            sku = $"TS-{Guid.NewGuid():N}",
            name,
            price,
            attributes = new Dictionary<string, string> { ["color"] = "red", ["size"] = "M" },
            initial_stock = stock,
        });
        return await response.JsonAsync(HttpStatusCode.Created);
    }

    public static async Task<long> AddAddressAsync(HttpClient customer)
    {
        var response = await customer.PostJsonAsync("/api/addresses", new
        {
            full_name = "Ada Lovelace",
            line1 = "12 Analytical Way",
            city = "London",
            postal_code = "N1 9GU",
            country = "GB",
        });
        return (await response.JsonAsync(HttpStatusCode.Created)).Id();
    }

    /// <summary>A customer with an address and the given cart lines.</summary>
    public async Task<(HttpClient Client, string UserId, long AddressId)> ShopperAsync(params (long ProductId, int Quantity)[] lines)
    {
        var (client, userId) = await CustomerAsync();
        var addressId = await AddAddressAsync(client);
        foreach (var (productId, quantity) in lines)
        {
            var added = await client.PostJsonAsync("/api/cart/items", new { product_id = productId, quantity });
            await added.JsonAsync(HttpStatusCode.OK);
        }

        return (client, userId, addressId);
    }

    /// <summary>
    /// A flash sale: <paramref name="buyers"/> shoppers, each with one unit of the product in their cart,
    /// prepared first, then all checking out at once. The responses, in no particular order.
    /// </summary>
    public async Task<HttpResponseMessage[]> FlashSaleAsync(long productId, int buyers, int preparedInParallel)
    {
        var shoppers = new (HttpClient Client, long AddressId)[buyers];
        await Parallel.ForAsync(0, buyers, new ParallelOptions { MaxDegreeOfParallelism = preparedInParallel }, async (i, _) =>
        {
            var (client, _, addressId) = await ShopperAsync((productId, 1));
            shoppers[i] = (client, addressId);
        });

        return await Task.WhenAll(shoppers.Select(b => b.Client.PostJsonAsync("/api/checkout", new { shipping_address_id = b.AddressId })));
    }

    public async Task<JsonNode> InventoryAsync(long productId)
    {
        using var admin = await AdminAsync();
        return await (await admin.GetAsync($"/api/inventory/{productId}")).JsonAsync(HttpStatusCode.OK);
    }

    public async Task<(int Stock, int Reserved, int Available)> StockAsync(long productId)
    {
        var record = await InventoryAsync(productId);
        return (record["stock_quantity"]!.GetValue<int>(), record["reserved_quantity"]!.GetValue<int>(), record["available_quantity"]!.GetValue<int>());
    }
}
