using System.Globalization;
using Shop.Bench.Results;
using Spectre.Console;

namespace Shop.Bench.Reporting;

/// <summary>The results on the console: a table per scenario, pgbench, the acceptance checks, any failure, then one summary line per scenario.</summary>
public static class ConsoleReport
{
    public static void Print(BenchResult result, string jsonPath, string? docsPath)
    {
        AnsiConsole.WriteLine();
        foreach (var group in result.Runs.GroupBy(r => r.Scenario))
        {
            AnsiConsole.Write(ScenarioTable(group.Key, [.. group], result.Comparisons));
        }

        if (result.PgBench.Count > 0)
        {
            var pgbench = new Table().Title("pgbench: the baseline's checkout statements on one hot row").AddColumns("clients", "threads", "seconds", "transactions", "tx/s", "latency avg (ms)");
            foreach (var p in result.PgBench)
            {
                pgbench.AddRow(Text(p.Clients), Text(p.Threads), Text(p.Seconds), Text(p.Transactions), Text(p.TransactionsPerSecond, "F1"), Text(p.LatencyAverageMs, "F2"));
            }

            AnsiConsole.Write(pgbench);
        }

        if (result.Floor is { } floor)
        {
            AnsiConsole.MarkupLine(string.Create(CultureInfo.InvariantCulture,
                $"HTTP floor: {floor.AnswersPerSecond:F0} sold-out answers/s, p99 {floor.Latency.P99Ms:F1} ms, {floor.Errors} errors ({floor.Requests:N0} requests, {floor.Concurrency} concurrent; server {floor.ServerSeconds:F2} s, load generator {floor.LoadGeneratorSeconds:F2} s of CPU)"));
        }

        foreach (var label in result.Runs.Select(r => r.Label).Distinct())
        {
            if (RepetitionsNote(result, label) is { } repeated)
            {
                AnsiConsole.MarkupLine(Markup.Escape($"{label}: {repeated}"));
            }
        }

        var acceptance = new Table().Title("issue 5 acceptance").AddColumns("criterion", "measured", "met");
        foreach (var check in result.Acceptance)
        {
            acceptance.AddRow(Markup.Escape(check.Criterion), Markup.Escape(check.Measured), check.Met switch { true => "[green]yes[/]", false => "[red]no[/]", null => "[grey]-[/]" });
        }

        AnsiConsole.Write(acceptance);
        foreach (var run in result.Runs.Where(r => !r.Passed))
        {
            var reasons = run.Failure is { } failure ? [failure] : run.Verification?.Failures ?? [];
            AnsiConsole.MarkupLine($"[red]FAILED[/] {Markup.Escape(run.Label)} on {run.Target}: {Markup.Escape(string.Join("; ", reasons))}");
        }

        foreach (var run in result.Runs.Where(r => r.Load is { Errors: > 0 }))
        {
            foreach (var (status, sample) in run.Load!.ErrorSamples)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(run.Label)} on {run.Target}[/]: {run.Load.ErrorsByStatus[status]} x {Markup.Escape(status)}, e.g. {Markup.Escape(sample)}");
            }
        }

        AnsiConsole.MarkupLine($"results: {Markup.Escape(jsonPath)}" + (docsPath is null ? "" : $"; docs: {Markup.Escape(docsPath)}"));
        AnsiConsole.MarkupLine(result.Passed ? "[green]every sale verified[/]" : "[red]a run failed or its books did not balance[/]");

        // Plain lines last, for scripts: the quick mode's last line is the hot one.
        foreach (var label in result.Runs.Where(r => r.Scenario != Running.Scenario.Sweep).Select(r => r.Label).Distinct())
        {
            Console.WriteLine(SummaryLine(label, [.. result.Runs.Where(r => r.Label == label)]));
        }
    }

    /// <summary>
    /// With <c>--repeat</c>: how the runs of <paramref name="label"/> were repeated, every run's checkouts/s and p99, and
    /// whether every one of them balanced (null when the scenario ran once).
    /// </summary>
    public static string? RepetitionsNote(BenchResult result, string label)
    {
        var shop = result.RepetitionsOf(label, "shop");
        var baseline = result.RepetitionsOf(label, "baseline");
        if (shop.Count + baseline.Count == 0)
        {
            return null;
        }

        var repeated = shop.Concat(baseline).ToList();
        var series = string.Join("; ", new[] { ("Shop", shop), ("SQL baseline", baseline) }.Where(s => s.Item2.Count > 0).Select(s => Series(s.Item1, s.Item2)));
        var verified = repeated.All(r => r.Passed)
            ? "every one of these sales verified"
            : "NOT every sale verified: " + string.Join("; ", repeated.Where(r => !r.Passed).Select(r =>
                $"{r.Target} run {r.Repetition}: {r.Failure ?? string.Join(", ", r.Verification?.Failures ?? [])}"));
        return $"Each target ran {Math.Max(shop.Count, baseline.Count)} times, alternating Shop and the baseline; the run with the median checkouts/s "
            + $"stands for its target (tables, ratios, acceptance). Every run, in order: {series}; {verified}.";

        // Server CPU per checkout beside each rate: a slow run that also spent more CPU on the same work was a slow
        // machine (docs/benchmarks-log.md, "Targets, run by run"), not a slow target.
        static string Series(string name, IReadOnlyList<RunResult> runs) =>
            $"{name} {string.Join(", ", runs.Select(r => r.Load is { } l ? Text(l.CheckoutsPerSecond, "N0") : "failed"))}/s "
            + $"(p99 {string.Join(", ", runs.Select(r => r.Load is { } l ? Text(l.SuccessLatency.P99Ms, "N0") : "-"))} ms; "
            + $"server CPU {string.Join(", ", runs.Select(r => r.CpuSecondsPerCheckout is { } c ? Text(c * 1000, "F2") : "-"))} ms per checkout)";
    }

    /// <summary><c>hot: shop X/s, baseline Y/s, ratio R, errors E, oversold O</c> (errors and oversold units of both targets).</summary>
    public static string SummaryLine(string label, IReadOnlyList<RunResult> runs)
    {
        var shop = runs.FirstOrDefault(r => r.Target == "shop");
        var baseline = runs.FirstOrDefault(r => r.Target == "baseline");
        var parts = new List<string>();
        if (shop is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"shop {shop.Load?.CheckoutsPerSecond ?? 0:F0}/s"));
        }

        if (baseline is not null)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"baseline {baseline.Load?.CheckoutsPerSecond ?? 0:F0}/s"));
        }

        if (shop?.Load is { } s && baseline?.Load is { CheckoutsPerSecond: > 0 } b)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"ratio {s.CheckoutsPerSecond / b.CheckoutsPerSecond:F2}"));
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"errors {runs.Sum(r => r.Load?.Errors ?? 0)}"));
        parts.Add(string.Create(CultureInfo.InvariantCulture, $"oversold {runs.Sum(r => r.Verification?.Oversold ?? 0)}"));
        return $"{label}: {string.Join(", ", parts)}";
    }

    private static Table ScenarioTable(string scenario, IReadOnlyList<RunResult> runs, IReadOnlyList<Comparison> comparisons)
    {
        var table = new Table().Title(Markup.Escape(scenario)).AddColumns(
            "run", "target", "checkouts/s", "sold-out/s", "p50", "p95", "p99", "max (ms)", "sold-out p99", "errors", "unknown", "CPU s/checkout", "peak MiB", "verified");
        foreach (var run in runs)
        {
            var label = run.Label == scenario ? $"c={run.Concurrency}" : run.Label[(scenario.Length + 1)..];
            if (run.Load is not { } load)
            {
                table.AddRow(Markup.Escape(label), run.Target, "[red]failed[/]", "", "", "", "", "", "", "", "", "", "", Markup.Escape(run.Failure ?? ""));
                continue;
            }

            table.AddRow(
                Markup.Escape(label), run.Target, Text(load.CheckoutsPerSecond, "F1"), load.SoldOutPerSecond is { } so ? Text(so, "F0") : "-",
                Text(load.SuccessLatency.P50Ms, "F1"), Text(load.SuccessLatency.P95Ms, "F1"), Text(load.SuccessLatency.P99Ms, "F1"), Text(load.SuccessLatency.MaxMs, "F1"),
                load.SoldOutLatency.Count > 0 ? Text(load.SoldOutLatency.P99Ms, "F1") : "-",
                load.Errors == 0 ? "0" : $"[red]{load.Errors}[/]", load.UnknownOutcomes == 0 ? "0" : $"[red]{load.UnknownOutcomes}[/]",
                run.CpuSecondsPerCheckout is { } cpu ? Text(cpu, "F4") : "-", run.PeakMemoryMiBTotal is { } mem ? Text(mem, "F0") : "-",
                run.Passed ? "[green]yes[/]" : "[red]no[/]");
            if (run.Target == "baseline" && comparisons.FirstOrDefault(c => c.Label == run.Label) is { } comparison)
            {
                table.AddRow("", "[bold]ratio[/]", comparison.Ratio is { } r ? $"[bold]{Text(r, "F2")}[/]" : "-",
                    comparison.SoldOutRatio is { } sr ? Text(sr, "F2") : "-", "", "", "", "", "", "", "", "", "", "");
            }
        }

        return table;
    }

    private static string Text(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);

    private static string Text(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
