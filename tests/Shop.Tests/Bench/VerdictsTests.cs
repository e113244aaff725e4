extern alias bench;

using bench::Shop.Bench.Reporting;
using bench::Shop.Bench.Results;

namespace Shop.Tests.Bench;

/// <summary>The benchmark's verdicts on the ratios are read by people deciding whether a target is met.</summary>
public class VerdictsTests
{
    [Fact]
    public void A_spread_rate_just_below_the_baselines_is_not_met_although_its_ratio_rounds_to_one()
    {
        var spread = Compare("spread", shop: 1926.1, baseline: 1929.4);

        var check = Verdicts.Acceptance([], [spread]).Single(c => c.Criterion.StartsWith("spread", StringComparison.Ordinal));

        Assert.Equal(1.00, spread.Ratio);
        Assert.False(check.Met);
        Assert.EndsWith("0.998x", check.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void A_hot_rate_just_below_three_times_the_baselines_is_not_met_and_exactly_three_times_is()
    {
        var below = Verdicts.Acceptance([], [Compare("hot", shop: 2998.0, baseline: 1000.0)])[0];
        var at = Verdicts.Acceptance([], [Compare("hot", shop: 3000.0, baseline: 1000.0)])[0];

        Assert.False(below.Met);
        Assert.Contains("2.998x", below.Measured, StringComparison.Ordinal);
        Assert.True(at.Met);
        Assert.Contains("3.00x", at.Measured, StringComparison.Ordinal);
    }

    [Fact]
    public void Sold_out_answers_just_below_ten_times_the_baselines_are_not_met()
    {
        var hot = Compare("hot", shop: 3000, baseline: 1000, shopSoldOut: 49_990, baselineSoldOut: 5_000);

        var check = Verdicts.Acceptance([], [hot]).Single(c => c.Criterion.StartsWith("after sell-out", StringComparison.Ordinal));

        Assert.False(check.Met);
        Assert.Contains("9.998x", check.Measured, StringComparison.Ordinal);
    }

    private static Comparison Compare(string label, double shop, double baseline, double? shopSoldOut = null, double? baselineSoldOut = null) =>
        new(label, shop, baseline, Math.Round(shop / baseline, 2), shopSoldOut, baselineSoldOut,
            shopSoldOut is { } s && baselineSoldOut is { } b ? Math.Round(s / b, 2) : null);
}
