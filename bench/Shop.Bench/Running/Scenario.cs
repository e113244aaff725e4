namespace Shop.Bench.Running;

/// <summary>
/// One measured run's workload: <paramref name="Buyers"/> buyers, each with a cart of
/// <paramref name="LinesPerCart"/> distinct products (one unit each) out of <paramref name="Products"/>,
/// every product stocked with <paramref name="StockPerProduct"/>, checking out through
/// <paramref name="Concurrency"/> concurrent workers.
/// </summary>
public sealed record Scenario(string Name, int Products, int LinesPerCart, int StockPerProduct, int Buyers, int Concurrency)
{
    public const string Hot = "hot";
    public const string Spread = "spread";
    public const string Cart3 = "cart3";
    public const string Sweep = "sweep";

    public static readonly IReadOnlyList<string> Names = [Hot, Spread, Cart3, Sweep];

    public static readonly IReadOnlyList<int> SweepLevels = [1, 16, 64, 256, 1024];

    /// <summary>"hot", or "sweep c=64" for a sweep level.</summary>
    public string Label => Name == Sweep ? $"{Name} c={Concurrency}" : Name;

    /// <summary>A file-name-safe key: "hot", "sweep-c64".</summary>
    public string Key => Name == Sweep ? $"{Name}-c{Concurrency}" : Name;

    public static Scenario HotProduct(int buyers = 20_000, int stock = 10_000, int concurrency = 256) => new(Hot, 1, 1, stock, buyers, concurrency);

    public static Scenario SpreadProducts(int buyers = 20_000, int stock = 100, int concurrency = 256) => new(Spread, 1_000, 1, stock, buyers, concurrency);

    public static Scenario ThreeLineCarts(int buyers = 10_000, int stock = 1_000, int concurrency = 256) => new(Cart3, 100, 3, stock, buyers, concurrency);

    /// <summary>
    /// A sweep level: the hot product at <paramref name="concurrency"/>, with stock = 5 x concurrency (at
    /// least 500) so every level sells for several "waves" of its workers, and twice as many buyers as units
    /// so the sold-out phase is as long as the selling one.
    /// </summary>
    public static Scenario SweepLevel(int concurrency)
    {
        var stock = Math.Max(500, 5 * concurrency);
        return new Scenario(Sweep, 1, 1, stock, 2 * stock, concurrency);
    }

    /// <summary>The most buyers of a warm-up by default (<c>--warmup-buyers</c>).</summary>
    public const int WarmupBuyers = 12_000;

    /// <summary>
    /// The untimed warm-up before this run, on products and buyers of its own: the same kind of sale (lines
    /// per cart, concurrency) on at most 100 products, with 12,000 buyers (200 per worker at low
    /// concurrency) wanting twice the units there are, so that both selling and sold-out answers have run
    /// before the clock starts. A flash sale hits a shop that is already running; without it, a run of a
    /// few seconds measures mostly the JIT compiling the checkout path (<c>--no-warmup</c> measures that).
    /// Fewer did not do: after 4,000 buyers the silo's JIT still compiled some 1,900 methods (its
    /// background tiering thread 15% of the silo's CPU) during the timed sale; after 12,000, some 750.
    /// </summary>
    public Scenario Warmup(int maxBuyers = WarmupBuyers)
    {
        var products = Math.Min(Products, 100);
        var buyers = Math.Min(maxBuyers, 200 * Concurrency);
        return this with { Products = products, Buyers = buyers, StockPerProduct = Math.Max(1, buyers * LinesPerCart / products / 2) };
    }

    /// <summary>Every buyer's cart as product indexes (0-based, ascending), the same for both targets: a fixed seed.</summary>
    public int[][] Carts()
    {
        var random = new Random(20_251_102 + Products * 31 + LinesPerCart);
        var carts = new int[Buyers][];
        for (var i = 0; i < Buyers; i++)
        {
            var cart = new SortedSet<int>();
            while (cart.Count < LinesPerCart)
            {
                cart.Add(random.Next(Products));
            }

            carts[i] = [.. cart];
        }

        return carts;
    }

    /// <summary>
    /// How many checkouts must succeed: all of them when every product has stock for its demand; for one
    /// product with single-unit carts, min(stock, buyers); otherwise it depends on the order of arrival (null).
    /// </summary>
    public int? ExpectedSuccesses(int[][] carts)
    {
        var demand = new int[Products];
        foreach (var cart in carts)
        {
            foreach (var product in cart)
            {
                demand[product]++;
            }
        }

        if (demand.All(d => d <= StockPerProduct))
        {
            return carts.Length;
        }

        return this is { Products: 1, LinesPerCart: 1 } ? Math.Min(StockPerProduct, carts.Length) : null;
    }
}
