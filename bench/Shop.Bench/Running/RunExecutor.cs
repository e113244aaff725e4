using System.Diagnostics;
using System.Globalization;
using Shop.Bench.Infrastructure;
using Shop.Bench.Load;
using Shop.Bench.Measurement;
using Shop.Bench.Reporting;
using Shop.Bench.Results;
using Shop.Bench.Targets;
using Spectre.Console;

namespace Shop.Bench.Running;

/// <summary>
/// One run: a fresh database and freshly started target processes; the products and buyers prepared
/// through the API; an untimed warm-up sale on products of its own, verified, and a wait until the
/// target's processes are quiet; a checkpoint; the timed
/// checkouts with CPU measured around them; then the sale verified and the processes' peak memory read
/// before they are stopped.
/// </summary>
public sealed class RunExecutor(Repository repository, PostgresServer postgres, RedisServer redis, BenchOptions options)
{
    public async Task<RunResult> RunAsync(Scenario scenario, string targetName, CancellationToken cancellation)
    {
        var runId = $"{targetName[0]}{Guid.NewGuid():N}"[..9];
        var database = $"bench_{runId}";
        var preparation = Stopwatch.StartNew();
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(scenario.Label)}[/] on [bold]{targetName}[/]: {scenario.Buyers:N0} buyers, "
            + $"{scenario.Products:N0} product(s) x {scenario.StockPerProduct:N0} in stock, {scenario.LinesPerCart} line(s) per cart, {scenario.Concurrency} concurrent");
        await postgres.CreateDatabaseAsync(database, cancellation);
        try
        {
            await using var target = await StartAsync(targetName, database, cancellation);
            using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
            bounded.CancelAfter(options.RunTimeout);
            try
            {
                return await MeasureAsync(target, scenario, runId, preparation, bounded.Token);
            }
            catch (OperationCanceledException) when (bounded.IsCancellationRequested && !cancellation.IsCancellationRequested)
            {
                return RunResult.Failed(scenario, targetName, preparation.Elapsed.TotalSeconds,
                    $"did not finish within {options.RunTimeout.TotalSeconds:F0} s (--run-timeout)");
            }
            catch (TaskCanceledException e) when (e.InnerException is TimeoutException)
            {
                return RunResult.Failed(scenario, targetName, preparation.Elapsed.TotalSeconds, $"a request outside the timed phase timed out: {e.Message}");
            }
        }
        catch (Exception e) when (e is BenchRunException or BenchSetupException or HttpRequestException)
        {
            return RunResult.Failed(scenario, targetName, preparation.Elapsed.TotalSeconds, e.Message);
        }
        finally
        {
            await postgres.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    private async Task<ITarget> StartAsync(string targetName, string database, CancellationToken cancellation) => targetName == "shop"
        ? await ShopTarget.StartAsync(repository, postgres, redis, database, options.Silos, options.Hosting, cancellation)
        : await BaselineTarget.StartAsync(repository, postgres, database, options.BaselinePoolSize, cancellation);

    private async Task<RunResult> MeasureAsync(ITarget target, Scenario scenario, string runId, Stopwatch preparation, CancellationToken cancellation)
    {
        var api = new ApiClient(target.Http);
        var carts = scenario.Carts();
        var status = new LiveStatus($"{scenario.Label} · {target.Name}");
        var (buyers, productIds, warmup, record, cpu, gc) = await ProgressView.ShowAsync(status, async () =>
        {
            var admin = await api.TokenAsync($"{runId}-admin", ApiClient.AdminPermissions, cancellation);
            var productIds = await BuyerPreparation.CreateProductsAsync(api, admin, scenario, runId, status, cancellation);
            var buyers = await BuyerPreparation.PrepareAsync(api, carts, productIds, runId, status, cancellation);
            var warmup = options.Warmup ? await WarmUpAsync(target, api, admin, scenario.Warmup(options.WarmupBuyers), $"{runId}-w", status, cancellation) : null;
            if (warmup is not null)
            {
                warmup = warmup with { QuietSeconds = await SettleAsync(target, status, cancellation) };
            }

            await postgres.CheckpointAsync(cancellation);
            preparation.Stop();
            var collections = target.RuntimeMetrics.Count > 0 ? await GcMeter.StartAsync(target.RuntimeMetrics, cancellation) : null;
            var meter = CpuMeter.Start(target.Processes);
            var record = await new CheckoutLoad(target.Entrances, buyers, scenario.Concurrency, status).RunAsync(cancellation);
            var cpu = meter.Stop();
            // The scrape endpoint answers from a copy up to 300 ms old (OpenTelemetry's default): wait it out.
            await Task.Delay(TimeSpan.FromMilliseconds(400), cancellation);
            var gc = collections is null ? null : await collections.StopAsync(cancellation);
            return (buyers, productIds, warmup, record, cpu, gc);
        });

        if (options.RequestsDirectory is { } directory)
        {
            await WriteRequestsAsync(Path.Combine(directory, $"{scenario.Name}-{target.Name}-c{scenario.Concurrency}.csv"), record, cancellation);
        }

        var load = LoadSummary.Of(record);
        AnsiConsole.MarkupLine($"  {load.Successes:N0} sold at {load.CheckoutsPerSecond:N1}/s, {load.SoldOut:N0} sold out, {load.Errors:N0} errors; verifying the sale…");
        var earlier = warmup is null ? new LedgerExpectation(0, 0) : new LedgerExpectation(warmup.Successes, warmup.Lines);
        var verification = await SaleVerifier.VerifyAsync(target, scenario, buyers, productIds, record, load, earlier, cancellation);
        var memory = target.Processes.Where(p => p.IsApplication)
            .GroupBy(p => p.Group)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => ProcFs.PeakResidentBytes(p.Pid) ?? 0) / 1048576.0, 1));
        return new RunResult(
            scenario.Name, scenario.Label, target.Name, scenario.Concurrency, scenario.Buyers, scenario.Products, scenario.LinesPerCart,
            scenario.StockPerProduct, Math.Round(preparation.Elapsed.TotalSeconds, 1), load, verification, cpu,
            load.Successes > 0 ? Math.Round(cpu.ServerSeconds / load.Successes, 5) : null,
            memory, Math.Round(memory.Values.Sum(), 1), null, warmup, gc);
    }

    /// <summary>
    /// The warm-up sale (<see cref="Scenario.Warmup"/>), untimed, on its own products and buyers, until
    /// its orders are in the books: so that its projections are not still running when the clock starts,
    /// and a warm-up that went wrong fails the run instead of passing unnoticed.
    /// </summary>
    private static async Task<WarmupResult> WarmUpAsync(
        ITarget target, ApiClient api, string admin, Scenario warm, string prefix, LiveStatus status, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var carts = warm.Carts();
        var productIds = await BuyerPreparation.CreateProductsAsync(api, admin, warm, prefix, status, cancellation);
        var buyers = await BuyerPreparation.PrepareAsync(api, carts, productIds, prefix, status, cancellation);
        var record = await new CheckoutLoad(target.Entrances, buyers, warm.Concurrency, status, LiveStatus.WarmupPhase).RunAsync(cancellation);
        var load = LoadSummary.Of(record);
        if (load.Errors > 0)
        {
            throw new BenchRunException($"the warm-up had {load.Errors} errors: {string.Join("; ", load.ErrorSamples.Select(e => $"{e.Key}: {e.Value}"))}");
        }

        var verification = await SaleVerifier.VerifyAsync(target, warm, buyers, productIds, record, load, new LedgerExpectation(0, 0), cancellation);
        if (!verification.Passed)
        {
            throw new BenchRunException($"the warm-up sale did not verify: {string.Join("; ", verification.Failures)}");
        }

        return new WarmupResult(warm.Buyers, warm.Products, warm.StockPerProduct, load.Successes, load.SoldOut, verification.Lines, Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    /// <summary>
    /// After the warm-up: the runtime counters read once (a process's first scrape compiles its exporter,
    /// which would otherwise happen as the clock starts), then a wait until the target's own processes are
    /// quiet (<see cref="QuietWait"/>), at most <see cref="BenchOptions.SettleTimeout"/>.
    /// </summary>
    private async Task<double> SettleAsync(ITarget target, LiveStatus status, CancellationToken cancellation)
    {
        status.StartPhase(LiveStatus.SettlePhase, 0);
        if (target.RuntimeMetrics.Count > 0)
        {
            await GcMeter.StartAsync(target.RuntimeMetrics, cancellation);
        }

        return await QuietWait.UntilQuietAsync([.. target.Processes.Where(p => p.IsApplication)], options.SettleTimeout, cancellation);
    }

    /// <summary>Every request of the run, for looking at latency over time (the summary has only percentiles).</summary>
    private static async Task WriteRequestsAsync(string path, LoadRecord record, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var lines = Enumerable.Range(0, record.Outcomes.Length).Select(i => string.Create(CultureInfo.InvariantCulture,
            $"{i},{record.Outcomes[i]},{record.Statuses[i]},{LoadRecord.Seconds(record.Origin, record.Started[i]):F4},{LoadRecord.Seconds(record.Started[i], record.Ended[i]):F4}"));
        await File.WriteAllLinesAsync(path, lines.Prepend("buyer,outcome,status,start_s,latency_s"), cancellation);
    }
}
