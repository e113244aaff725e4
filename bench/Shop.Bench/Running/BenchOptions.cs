using System.Globalization;
using Shop.Bench.Infrastructure;
using Shop.Bench.Targets;

namespace Shop.Bench.Running;

/// <summary>The command line. <see cref="Usage"/> says what each option does.</summary>
public sealed record BenchOptions
{
    public const string Usage = """
        Shop's flash-sale benchmark: Shop (durable mode) against the SQL baseline, on a throwaway PostgreSQL and Redis.
        Build first (this builds nothing): dotnet build Shop.sln -c Release

        usage: dotnet run -c Release --project bench/Shop.Bench -- [options]

          --scenario NAME       hot | spread | cart3 | sweep | all            (default: hot)
                                  hot     1 product, stock 10,000, 20,000 buyers, 256 concurrent, one unit each
                                  spread  1,000 products (stock 100 each), 20,000 buyers, one unit of a random product
                                  cart3   100 products (stock 1,000 each), 10,000 buyers, 3 distinct products per cart
                                  sweep   the hot product at concurrency 1, 16, 64, 256, 1024
                                          (stock 5 x concurrency, at least 500; buyers twice the stock)
          --quick               hot only: 2,000 buyers, stock 1,000, 128 concurrent; no pgbench. The last line is
                                  "hot: shop X/s, baseline Y/s, ratio R, errors E, oversold O"
          --target NAME         shop | baseline | both                        (default: both)
          --silos N             Shop silo processes                           (default: 1)
          --hosting NAME        cohosted | client                             (default: cohosted)
                                  cohosted  each silo process serves the API itself (Shop:Hosting=Embedded,
                                            durable storage and clustering alike); the load's workers are
                                            spread over all of them (preparation goes to the first)
                                  client    the API a separate process, an Orleans client of the silos
          --buyers N            override the buyers of hot, spread and cart3
          --stock N             override the stock per product of hot, spread and cart3
          --concurrency N       override the concurrency of hot, spread and cart3
          --levels A,B,...      override the sweep's concurrency levels
          --baseline-pool N     override the baseline's connection pool size (its default: 8)
          --repeat N            run hot, spread and cart3 N times on each target, alternating Shop and the baseline
                                  (Shop, baseline, Shop, ...); the run with the median checkouts/s stands for its
                                  target in the tables, ratios and acceptance checks, every run is listed, and any
                                  run that fails or does not balance fails the benchmark (default: 1; the sweep's
                                  levels run once)
          --no-warmup           time each run from cold processes: no untimed warm-up sale before it
                                  (default: a warm-up of up to 12,000 buyers on products of its own)
          --warmup-buyers N     the warm-up's buyers at most (default: 12,000; 200 per worker at low concurrency)
          --settle-timeout S    after the warm-up, wait up to S seconds for the target's processes to use less
                                  than a tenth of a core over a second (the JIT finishing) (default: 30; 0: no wait)
          --pgbench             also measure pgbench on the baseline's statements (default: on, off with --quick)
          --no-pgbench          skip pgbench
          --pgbench-seconds N   length of each pgbench run                    (default: 10)
          --floor               with the hot scenario, also measure the HTTP floor: sold-out answers/s of an ASP.NET
                                  Core process that answers every checkout sold out with nothing behind it (the
                                  baseline as Baseline:Floor) (default: on, off with --quick)
          --no-floor            skip the HTTP floor
          --run-timeout S       seconds one run (preparation and load) may take (default: 1200)
          --output PATH         the JSON result                               (default: bench/results/<time>.json)
          --requests DIR        also write every checkout request of each run (outcome, status, start and
                                  latency in seconds) to DIR/<scenario>-<target>-c<concurrency>.csv
          --write-docs          write docs/benchmarks.md and its charts (docs/benchmarks/*.png) from this run
          --docs-from PATH      run nothing: rewrite docs/benchmarks.md and its charts from a saved JSON result, its
                                  ratios and acceptance checks judged again by this build (with --output, the
                                  result so judged is written there too)
          --repo PATH           the repository (default: the nearest directory above holding Shop.sln)

        Exit status: 0 when every run's sale verified; 1 when a run failed or its books did not balance;
        2 when the benchmark could not start (missing binaries or servers, bad options); 130 when interrupted.
        """;

    public string ScenarioName { get; init; } = Scenario.Hot;

    public bool Quick { get; init; }

    public bool RunShop { get; init; } = true;

    public bool RunBaseline { get; init; } = true;

    public int Silos { get; init; } = 1;

    /// <summary>Whether the API runs in its own process (<c>client</c>) or inside each silo (<c>cohosted</c>).</summary>
    public string Hosting { get; init; } = ShopHosting.Cohosted;

    public int? Buyers { get; init; }

    public int? Stock { get; init; }

    public int? Concurrency { get; init; }

    public IReadOnlyList<int> Levels { get; init; } = Scenario.SweepLevels;

    public int? BaselinePoolSize { get; init; }

    /// <summary>How many times each of hot, spread and cart3 runs on each target (<see cref="RepeatsOf"/>).</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Whether each run starts with its untimed warm-up (<see cref="Scenario.Warmup"/>).</summary>
    public bool Warmup { get; init; } = true;

    /// <summary>The most buyers a warm-up has (<see cref="Scenario.Warmup"/>).</summary>
    public int WarmupBuyers { get; init; } = Scenario.WarmupBuyers;

    /// <summary>How long, at most, to wait after the warm-up for the target's processes to go quiet (<c>QuietWait</c>).</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public bool? PgBench { get; init; }

    public bool? Floor { get; init; }

    public int PgBenchSeconds { get; init; } = 10;

    public TimeSpan RunTimeout { get; init; } = TimeSpan.FromSeconds(1200);

    public string? Output { get; init; }

    public string? RequestsDirectory { get; init; }

    public bool WriteDocs { get; init; }

    public string? DocsFrom { get; init; }

    public string? Repository { get; init; }

    public bool Help { get; init; }

    /// <summary>The arguments as given, for the exact command in the results.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public bool RunsPgBench => PgBench ?? !Quick;

    public bool RunsFloor => Floor ?? !Quick;

    public string Command => "dotnet run -c Release --project bench/Shop.Bench --" + string.Concat(Arguments.Select(a => " " + a));

    /// <summary>
    /// How many times <paramref name="scenario"/> runs on each target: <see cref="Repeat"/>, except for the sweep's
    /// levels, which run once (its criterion is the shape across levels, and five levels three times over would
    /// add half an hour).
    /// </summary>
    public int RepeatsOf(Scenario scenario) => scenario.Name == Scenario.Sweep ? 1 : Repeat;

    /// <summary>The scenarios, in order: each one (and each sweep level) is run on Shop, then on the baseline, <see cref="RepeatsOf"/> times.</summary>
    public IReadOnlyList<Scenario> Scenarios()
    {
        if (Quick)
        {
            return [Scenario.HotProduct(buyers: 2_000, stock: 1_000, concurrency: 128)];
        }

        var names = ScenarioName == "all" ? Scenario.Names : [ScenarioName];
        return [.. names.SelectMany(name => name switch
        {
            Scenario.Hot => [Override(Scenario.HotProduct())],
            Scenario.Spread => [Override(Scenario.SpreadProducts())],
            Scenario.Cart3 => [Override(Scenario.ThreeLineCarts())],
            _ => Levels.Select(Scenario.SweepLevel),
        })];
    }

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var options = new BenchOptions { Arguments = args };
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value() => ++i < args.Count ? args[i] : throw new BenchSetupException($"{name} needs a value.");
            int Number(int minimum) => int.TryParse(Value(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= minimum
                ? n
                : throw new BenchSetupException($"{name} must be a whole number of at least {minimum}.");
            options = name switch
            {
                "--scenario" => options with { ScenarioName = OneOf(name, Value(), [.. Scenario.Names, "all"]) },
                "--quick" => options with { Quick = true },
                "--target" => OneOf(name, Value(), ["shop", "baseline", "both"]) switch
                {
                    "shop" => options with { RunShop = true, RunBaseline = false },
                    "baseline" => options with { RunShop = false, RunBaseline = true },
                    _ => options with { RunShop = true, RunBaseline = true },
                },
                "--silos" => options with { Silos = Number(1) },
                "--hosting" => options with { Hosting = OneOf(name, Value(), [ShopHosting.Client, ShopHosting.Cohosted]) },
                "--buyers" => options with { Buyers = Number(1) },
                "--stock" => options with { Stock = Number(0) },
                "--concurrency" => options with { Concurrency = Number(1) },
                "--levels" => options with { Levels = ParseLevels(name, Value()) },
                "--baseline-pool" => options with { BaselinePoolSize = Number(1) },
                "--repeat" => options with { Repeat = Number(1) },
                "--no-warmup" => options with { Warmup = false },
                "--warmup-buyers" => options with { WarmupBuyers = Number(1) },
                "--settle-timeout" => options with { SettleTimeout = TimeSpan.FromSeconds(Number(0)) },
                "--pgbench" => options with { PgBench = true },
                "--no-pgbench" => options with { PgBench = false },
                "--floor" => options with { Floor = true },
                "--no-floor" => options with { Floor = false },
                "--pgbench-seconds" => options with { PgBenchSeconds = Number(1) },
                "--run-timeout" => options with { RunTimeout = TimeSpan.FromSeconds(Number(10)) },
                "--output" => options with { Output = Value() },
                "--requests" => options with { RequestsDirectory = Value() },
                "--write-docs" => options with { WriteDocs = true },
                "--docs-from" => options with { DocsFrom = Value() },
                "--repo" => options with { Repository = Value() },
                "--help" or "-h" => options with { Help = true },
                _ => throw new BenchSetupException($"Unknown option {name}. See --help."),
            };
        }

        return options;
    }

    private Scenario Override(Scenario scenario) => scenario with
    {
        Buyers = Buyers ?? scenario.Buyers,
        StockPerProduct = Stock ?? scenario.StockPerProduct,
        Concurrency = Concurrency ?? scenario.Concurrency,
    };

    private static string OneOf(string name, string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value) ? value : throw new BenchSetupException($"{name} must be one of: {string.Join(", ", allowed)}.");

    private static int[] ParseLevels(string name, string value)
    {
        var levels = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return levels.Length > 0 && levels.All(l => int.TryParse(l, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            ? [.. levels.Select(l => int.Parse(l, CultureInfo.InvariantCulture))]
            : throw new BenchSetupException($"{name} takes concurrency levels separated by commas, such as 1,16,64.");
    }
}
