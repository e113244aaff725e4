using System.Globalization;
using Shop.Bench.Results;
using Shop.Bench.Running;

namespace Shop.Bench.Reporting;

/// <summary>The ratios (Shop / baseline) per scenario, and the issue's acceptance criteria checked against the runs.</summary>
public static class Verdicts
{
    private const double HotRatio = 3;
    private const double HotP99Ms = 250;
    private const int HotConcurrency = 256;
    private const double SpreadRatio = 1;
    private const double SoldOutRatio = 10;

    // A level counts as "not falling" within 10% of the 64-concurrent figure: run-to-run noise on a shared 2-core machine.
    private const double SweepTolerance = 0.9;

    public static IReadOnlyList<Comparison> Compare(IReadOnlyList<RunResult> runs) =>
    [
        .. runs.GroupBy(r => r.Label).Select(g => (Shop: g.FirstOrDefault(r => r.Target == "shop"), Baseline: g.FirstOrDefault(r => r.Target == "baseline")))
            .Where(p => p.Shop?.Load is not null && p.Baseline?.Load is not null)
            .Select(p => new Comparison(
                p.Shop!.Label,
                p.Shop.Load!.CheckoutsPerSecond,
                p.Baseline!.Load!.CheckoutsPerSecond,
                Ratio(p.Shop.Load.CheckoutsPerSecond, p.Baseline.Load.CheckoutsPerSecond),
                p.Shop.Load.SoldOutPerSecond,
                p.Baseline.Load.SoldOutPerSecond,
                p.Shop.Load.SoldOutPerSecond is { } s && p.Baseline.Load.SoldOutPerSecond is { } b ? Ratio(s, b) : null)),
    ];

    public static IReadOnlyList<AcceptanceCheck> Acceptance(IReadOnlyList<RunResult> runs, IReadOnlyList<Comparison> comparisons, FloorResult? floor = null)
    {
        var hot = comparisons.FirstOrDefault(c => c.Label == Scenario.Hot);
        var shopHot = Shop(runs, Scenario.Hot);
        var spread = comparisons.FirstOrDefault(c => c.Label == Scenario.Spread);
        var shopCart3 = Shop(runs, Scenario.Cart3);
        return
        [
            AtLeast($"hot: Shop's checkouts/s >= {HotRatio}x the baseline's",
                hot?.ShopCheckoutsPerSecond, hot?.BaselineCheckoutsPerSecond, HotRatio, "F1"),
            new($"hot: p99 of successful checkouts <= {HotP99Ms} ms at {HotConcurrency} concurrent buyers",
                shopHot?.Load is { } l ? $"{l.SuccessLatency.P99Ms:F1} ms at {shopHot.Concurrency} concurrent" : "not measured",
                shopHot?.Load is { } load && shopHot.Concurrency == HotConcurrency ? load.SuccessLatency.P99Ms <= HotP99Ms : null),
            new("hot: zero errors, zero unknown outcomes, exact sale",
                shopHot is null ? "not measured" : Cleanliness(shopHot),
                shopHot is null ? null : shopHot.Passed && shopHot.Load!.Errors == 0 && shopHot.Load.UnknownOutcomes == 0),
            AtLeast($"spread: Shop's checkouts/s >= {SpreadRatio}x the baseline's",
                spread?.ShopCheckoutsPerSecond, spread?.BaselineCheckoutsPerSecond, SpreadRatio, "F1"),
            new("cart3: measured, zero errors",
                shopCart3 is null ? "not measured" : $"{shopCart3.Load?.CheckoutsPerSecond ?? 0:F1}/s; {Cleanliness(shopCart3)}",
                shopCart3 is null ? null : shopCart3.Passed && shopCart3.Load!.Errors == 0),
            AtLeast($"after sell-out (hot): Shop's sold-out answers/s >= {SoldOutRatio}x the baseline's",
                hot?.ShopSoldOutPerSecond, hot?.BaselineSoldOutPerSecond, SoldOutRatio, "F0", hot is null ? "" : Floor(floor, hot)),
            Sweep(runs),
        ];
    }

    private static AcceptanceCheck Sweep(IReadOnlyList<RunResult> runs)
    {
        string Series(string target) => string.Join(", ", runs.Where(r => r.Scenario == Scenario.Sweep && r.Target == target && r.Load is not null)
            .Select(r => string.Create(CultureInfo.InvariantCulture, $"c={r.Concurrency}: {r.Load!.CheckoutsPerSecond:F0}/s")));
        var shop = runs.Where(r => r.Scenario == Scenario.Sweep && r.Target == "shop" && r.Load is not null).ToDictionary(r => r.Concurrency, r => r.Load!.CheckoutsPerSecond);
        var measured = shop.Count == 0 ? "not measured" : $"Shop {Series("shop")}; baseline {Series("baseline")}";
        bool? met = shop.TryGetValue(64, out var at64) && shop.ContainsKey(1024)
            ? shop.Where(p => p.Key > 64).All(p => p.Value >= SweepTolerance * at64)
            : null;
        return new AcceptanceCheck($"sweep: Shop's checkouts/s does not fall from 64 to 1024 concurrent (every level above 64 within {(1 - SweepTolerance) * 100:F0}% of it or higher)", measured, met);
    }

    /// <summary>The HTTP floor beside the sold-out ratio: the most any ASP.NET Core process answered, as a multiple of the baseline.</summary>
    private static string Floor(FloorResult? floor, Comparison hot) =>
        floor is null || hot.BaselineSoldOutPerSecond is not > 0
            ? ""
            : $" (the HTTP floor, an ASP.NET Core process answering sold out with nothing behind it: {floor.AnswersPerSecond:F0}/s, {Times(Ratio(floor.AnswersPerSecond, hot.BaselineSoldOutPerSecond.Value))})";

    private static RunResult? Shop(IReadOnlyList<RunResult> runs, string label) => runs.FirstOrDefault(r => r.Label == label && r.Target == "shop");

    private static string Cleanliness(RunResult run) => run.Load is not { } load
        ? $"failed: {run.Failure}"
        : $"{load.Errors} errors, {load.UnknownOutcomes} unknown outcomes, sale {(run.Verification is { Passed: true } ? "exact" : "NOT exact")}";

    /// <summary>
    /// Whether Shop's rate is at least <paramref name="times"/> the baseline's, judged on the rates themselves:
    /// the ratio shown is rounded to two decimals, and 1,926 against 1,929/s reads 1.00x but is below 1x.
    /// </summary>
    private static AcceptanceCheck AtLeast(string criterion, double? shop, double? baseline, double times, string rateFormat, string note = "") =>
        shop is { } s && baseline is { } b and > 0
            ? new(criterion,
                $"{s.ToString(rateFormat, CultureInfo.InvariantCulture)}/s vs {b.ToString(rateFormat, CultureInfo.InvariantCulture)}/s: {Times(s, b, times)}{note}",
                s >= times * b)
            : new(criterion, "not measured", null);

    private static double? Ratio(double shop, double baseline) => baseline > 0 ? Math.Round(shop / baseline, 2) : null;

    /// <summary>The ratio against a criterion's line, with a third decimal where two would round a miss up to the line.</summary>
    private static string Times(double shop, double baseline, double line) =>
        baseline > 0 && shop < line * baseline && Math.Round(shop / baseline, 2) >= line
            ? string.Create(CultureInfo.InvariantCulture, $"{shop / baseline:F3}x")
            : Times(Ratio(shop, baseline));

    private static string Times(double? ratio) => ratio is { } r ? string.Create(CultureInfo.InvariantCulture, $"{r:F2}x") : "n/a";
}
