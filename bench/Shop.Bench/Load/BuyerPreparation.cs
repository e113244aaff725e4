using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Shop.Bench.Running;

namespace Shop.Bench.Load;

/// <summary>Creates the products and the buyers of a run through the API, before anything is timed.</summary>
public static class BuyerPreparation
{
    private const int Parallelism = 64;

    /// <summary>The scenario's products with their stock; returns their ids by product index.</summary>
    public static async Task<long[]> CreateProductsAsync(ApiClient api, string adminToken, Scenario scenario, string runId, LiveStatus status, CancellationToken cancellation)
    {
        status.StartPhase("creating products", scenario.Products);
        var ids = new long[scenario.Products];
        await Parallel.ForAsync(0, scenario.Products, Options(cancellation), async (i, token) =>
        {
            var price = 10m + (i % 90);
            ids[i] = await api.CreateProductAsync(adminToken, $"{runId}-{i}".ToUpperInvariant(), $"Flash Sale Item {i + 1}", price, scenario.StockPerProduct, token);
            status.Advance();
        });
        return ids;
    }

    /// <summary>One buyer per cart: a token, an address, the cart's lines added.</summary>
    public static async Task<Buyer[]> PrepareAsync(ApiClient api, int[][] carts, long[] productIds, string runId, LiveStatus status, CancellationToken cancellation)
    {
        status.StartPhase("preparing buyers", carts.Length);
        var buyers = new Buyer[carts.Length];
        await Parallel.ForAsync(0, carts.Length, Options(cancellation), async (i, token) =>
        {
            var userId = string.Create(CultureInfo.InvariantCulture, $"{runId}-buyer-{i}");
            var bearer = await api.TokenAsync(userId, [], token);
            var addressId = await api.CreateAddressAsync(bearer, $"Buyer {i + 1}", token);
            foreach (var product in carts[i])
            {
                await api.AddToCartAsync(bearer, productIds[product], 1, token);
            }

            buyers[i] = new Buyer(
                i,
                userId,
                new AuthenticationHeaderValue("Bearer", bearer),
                Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $$"""{"shipping_address_id":{{addressId}}}""")),
                string.Create(CultureInfo.InvariantCulture, $"{runId}-checkout-{i}"),
                carts[i]);
            status.Advance();
        });
        return buyers;
    }

    private static ParallelOptions Options(CancellationToken cancellation) => new() { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellation };
}
