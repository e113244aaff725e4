using System.Diagnostics;
using Shop.Bench.Infrastructure;
using Shop.Bench.Reporting;
using Shop.Bench.Results;
using Spectre.Console;

namespace Shop.Bench.Running;

/// <summary>
/// One invocation: checks the binaries, starts PostgreSQL and Redis in a temporary directory, runs each
/// scenario on Shop and then on the baseline (as many times as <c>--repeat</c> says), runs pgbench and the HTTP floor, stops the servers and deletes the directory
/// (also on failure or interruption), then writes the JSON result and, if asked, the docs.
/// </summary>
public static class BenchSession
{
    public static async Task<int> RunAsync(BenchOptions options, CancellationToken cancellation)
    {
        var repository = Repository.Locate(options.Repository);
        if (options.DocsFrom is { } saved)
        {
            // The runs' figures as measured; the ratios and verdicts judged again by this build's criteria.
            var measured = await ResultJson.ReadAsync(saved, cancellation);
            var judged = Verdicts.Compare(measured.Runs);
            var rejudged = measured with { Comparisons = judged, Acceptance = Verdicts.Acceptance(measured.Runs, judged, measured.Floor) };
            if (options.Output is { } rejudgedPath)
            {
                await ResultJson.WriteAsync(rejudged, rejudgedPath, cancellation);
            }

            var docsPath = DocsWriter.Write(rejudged, repository.Docs, repository.Charts);
            AnsiConsole.MarkupLine($"wrote {Markup.Escape(docsPath)} from {Markup.Escape(saved)}");
            return 0;
        }

        repository.RequireBinaries(options.RunShop, options.RunBaseline);
        foreach (var stale in repository.StaleBinaries(options.RunShop, options.RunBaseline))
        {
            AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(stale)} is older than its sources: this measures the last build, not the current code (dotnet build Shop.sln -c Release).[/]");
        }

        var targets = new[] { (options.RunShop, "shop"), (options.RunBaseline, "baseline") }.Where(t => t.Item1).Select(t => t.Item2).ToList();
        var startedAt = DateTime.UtcNow;
        var wall = Stopwatch.StartNew();
        BenchResult result;
        using (var directory = TemporaryDirectory.Create())
        {
            AnsiConsole.MarkupLine($"starting PostgreSQL and Redis in {Markup.Escape(directory.Path)}");
            await using var postgres = await PostgresServer.LaunchAsync(directory.Path, cancellation);
            await using var redis = await RedisServer.LaunchAsync(directory.Path, cancellation);
            var machine = await MachineProbe.ReadAsync(repository, postgres, redis, cancellation);
            AnsiConsole.MarkupLine($"{Markup.Escape(machine.Postgres)} on 127.0.0.1:{postgres.Port} ({Markup.Escape(string.Join(", ", PostgresServer.Settings))}), "
                + $"{Markup.Escape(machine.Redis)} on 127.0.0.1:{redis.Port}; {machine.Cores} cores, {Markup.Escape(machine.Dotnet)}");

            var executor = new RunExecutor(repository, postgres, redis, options);
            var runs = new List<RunResult>();
            var repetitions = new List<RunResult>();
            foreach (var scenario in options.Scenarios())
            {
                // Repeated runs alternate the targets, so that a machine getting faster or slower over the
                // minutes (it does, by tens of percent) weighs on both alike.
                var repeats = options.RepeatsOf(scenario);
                var byTarget = targets.ToDictionary(t => t, _ => new List<RunResult>());
                for (var repetition = 1; repetition <= repeats; repetition++)
                {
                    foreach (var target in targets)
                    {
                        if (repeats > 1)
                        {
                            AnsiConsole.MarkupLine($"{Markup.Escape(scenario.Label)}: repetition {repetition} of {repeats}");
                        }

                        var run = await executor.RunAsync(scenario, target, cancellation);
                        byTarget[target].Add(repeats > 1 ? run with { Repetition = repetition } : run);
                    }
                }

                foreach (var target in targets)
                {
                    runs.Add(Repetitions.Representative(byTarget[target]));
                    if (repeats > 1)
                    {
                        repetitions.AddRange(byTarget[target]);
                    }
                }
            }

            var pgbench = options.RunsPgBench && options.RunBaseline ? await PgBenchAsync(repository, postgres, options, cancellation) : [];
            var hot = options.Scenarios().FirstOrDefault(s => s.Label == Scenario.Hot);
            var floor = options.RunsFloor && hot is not null ? await HttpFloor.MeasureAsync(repository, postgres, hot, options, cancellation) : null;
            var comparisons = Verdicts.Compare(runs);
            result = new BenchResult(options.Command, startedAt, Math.Round(wall.Elapsed.TotalSeconds, 1), machine, PostgresServer.Settings, options.Silos, options.Hosting,
                runs, pgbench, comparisons, Verdicts.Acceptance(runs, comparisons, floor), floor, repetitions);
            AnsiConsole.MarkupLine("stopping PostgreSQL and Redis");
        }

        var output = options.Output ?? Path.Combine(repository.Root, "bench", "results", $"bench-{startedAt:yyyyMMdd-HHmmss}.json");
        await ResultJson.WriteAsync(result, output, CancellationToken.None);
        var docs = options.WriteDocs ? DocsWriter.Write(result, repository.Docs, repository.Charts) : null;
        ConsoleReport.Print(result, output, docs);
        return result.Passed ? 0 : 1;
    }

    private static async Task<IReadOnlyList<PgBenchResult>> PgBenchAsync(Repository repository, PostgresServer postgres, BenchOptions options, CancellationToken cancellation)
    {
        AnsiConsole.MarkupLine($"pgbench: the baseline's checkout statements on one hot row, {string.Join(" and ", PgBench.Clients)} clients, {options.PgBenchSeconds} s each");
        try
        {
            return await PgBench.RunAsync(repository, postgres, options.PgBenchSeconds, cancellation);
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            AnsiConsole.MarkupLine($"[yellow]pgbench failed; its figures are missing from the results: {Markup.Escape(e.Message)}[/]");
            return [];
        }
    }
}
