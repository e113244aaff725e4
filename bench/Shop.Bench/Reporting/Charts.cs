using ScottPlot;
using Shop.Bench.Results;

namespace Shop.Bench.Reporting;

/// <summary>
/// The charts of docs/benchmarks.md (ScottPlot PNGs): for the sweep, checkouts/s and p99 latency against
/// concurrency, Shop against the baseline; for every other scenario, the same two figures as bars.
/// </summary>
public static class Charts
{
    private const int Width = 1100;
    private const int Height = 420;

    private static readonly Color ShopColor = Color.FromHex("#1f77b4");
    private static readonly Color BaselineColor = Color.FromHex("#ff7f0e");

    // ScottPlot's own pick on Debian is a serif face; DejaVu Sans ships with the system's fonts.
    private static readonly string? Font = Fonts.GetTypeface("DejaVu Sans", false, false)?.FamilyName == "DejaVu Sans" ? "DejaVu Sans" : null;

    /// <summary>Writes one PNG per scenario into <paramref name="directory"/>; returns the file name by scenario.</summary>
    public static IReadOnlyDictionary<string, string> Write(IReadOnlyList<RunResult> runs, string directory)
    {
        Directory.CreateDirectory(directory);
        var files = new Dictionary<string, string>();
        foreach (var group in runs.Where(r => r.Load is not null).GroupBy(r => r.Scenario))
        {
            var file = $"{group.Key}.png";
            var (throughput, p99) = group.Key == Running.Scenario.Sweep ? SweepPlots([.. group]) : BarPlots([.. group]);
            var figure = new Multiplot();
            figure.Reset(throughput);
            figure.AddPlot(p99);
            figure.Layout = new ScottPlot.MultiplotLayouts.Columns();
            figure.SavePng(Path.Combine(directory, file), Width, Height);
            files[group.Key] = file;
        }

        return files;
    }

    private static (Plot Throughput, Plot P99) BarPlots(IReadOnlyList<RunResult> runs)
    {
        Plot Bars(string title, string unit, Func<RunResult, double> value)
        {
            var plot = NewPlot();
            var bars = runs.Select((r, i) => new Bar
            {
                Position = i,
                Value = value(r),
                FillColor = r.Target == "shop" ? ShopColor : BaselineColor,
                Label = value(r).ToString("N1", System.Globalization.CultureInfo.InvariantCulture),
            }).ToArray();
            var plottable = plot.Add.Bars(bars);
            plottable.ValueLabelStyle.FontSize = 14;
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. runs.Select((_, i) => (double)i)], [.. runs.Select(r => r.Target == "shop" ? "Shop" : "SQL baseline")]);
            plot.Axes.Margins(bottom: 0, top: 0.2);
            plot.Title($"{runs[0].Label}: {title}");
            plot.YLabel(unit);
            return plot;
        }

        return (Bars("successful checkouts/s", "checkouts/s", r => r.Load!.CheckoutsPerSecond),
            Bars("p99 of successful checkouts", "ms", r => r.Load!.SuccessLatency.P99Ms));
    }

    private static (Plot Throughput, Plot P99) SweepPlots(IReadOnlyList<RunResult> runs)
    {
        var levels = runs.Select(r => r.Concurrency).Distinct().Order().ToArray();

        Plot Lines(string title, string unit, Func<RunResult, double> value)
        {
            var plot = NewPlot();
            foreach (var (target, name, color) in new[] { ("shop", "Shop", ShopColor), ("baseline", "SQL baseline", BaselineColor) })
            {
                var series = runs.Where(r => r.Target == target).OrderBy(r => r.Concurrency).ToList();
                if (series.Count == 0)
                {
                    continue;
                }

                // Concurrency grows by powers: plotted on a log2 axis, labelled with the real values.
                var line = plot.Add.Scatter(series.Select(r => Math.Log2(r.Concurrency)).ToArray(), series.Select(value).ToArray(), color);
                line.LegendText = name;
                line.LineWidth = 2;
                line.MarkerSize = 8;
            }

            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
                [.. levels.Select(l => Math.Log2(l))], [.. levels.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
            plot.Axes.SetLimitsX(Math.Log2(levels[0]) - 0.4, Math.Log2(levels[^1]) + 0.4);
            plot.Axes.SetLimitsY(0, Math.Max(1, runs.Max(value)) * 1.15);
            plot.Title(title);
            plot.XLabel("concurrent buyers");
            plot.YLabel(unit);
            plot.ShowLegend(Alignment.UpperLeft);
            return plot;
        }

        return (Lines("hot product: successful checkouts/s", "checkouts/s", r => r.Load!.CheckoutsPerSecond),
            Lines("hot product: p99 of successful checkouts", "ms", r => r.Load!.SuccessLatency.P99Ms));
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        if (Font is not null)
        {
            plot.Font.Set(Font);
        }

        return plot;
    }
}
