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
/// through the API; a checkpoint; the timed checkouts with CPU measured around them; then the sale
/// verified and the processes' peak memory read before they are stopped.
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
        ? await ShopTarget.StartAsync(repository, postgres, redis, database, options.Silos, cancellation)
        : await BaselineTarget.StartAsync(repository, postgres, database, options.BaselinePoolSize, cancellation);

    private async Task<RunResult> MeasureAsync(ITarget target, Scenario scenario, string runId, Stopwatch preparation, CancellationToken cancellation)
    {
        var api = new ApiClient(target.Http);
        var carts = scenario.Carts();
        var status = new LiveStatus($"{scenario.Label} · {target.Name}");
        var (buyers, productIds, record, cpu) = await ProgressView.ShowAsync(status, async () =>
        {
            var admin = await api.TokenAsync($"{runId}-admin", ApiClient.AdminPermissions, cancellation);
            var productIds = await BuyerPreparation.CreateProductsAsync(api, admin, scenario, runId, status, cancellation);
            var buyers = await BuyerPreparation.PrepareAsync(api, carts, productIds, runId, status, cancellation);
            await postgres.CheckpointAsync(cancellation);
            preparation.Stop();
            var meter = CpuMeter.Start(target.Processes);
            var record = await new CheckoutLoad(target.Http, buyers, scenario.Concurrency, status).RunAsync(cancellation);
            return (buyers, productIds, record, meter.Stop());
        });

        if (options.RequestsDirectory is { } directory)
        {
            await WriteRequestsAsync(Path.Combine(directory, $"{scenario.Name}-{target.Name}-c{scenario.Concurrency}.csv"), record, cancellation);
        }

        var load = LoadSummary.Of(record);
        AnsiConsole.MarkupLine($"  {load.Successes:N0} sold at {load.CheckoutsPerSecond:N1}/s, {load.SoldOut:N0} sold out, {load.Errors:N0} errors; verifying the sale…");
        var verification = await SaleVerifier.VerifyAsync(target, scenario, buyers, productIds, record, load, cancellation);
        var memory = target.Processes.Where(p => p.CountsMemory)
            .GroupBy(p => p.Group)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => ProcFs.PeakResidentBytes(p.Pid) ?? 0) / 1048576.0, 1));
        return new RunResult(
            scenario.Name, scenario.Label, target.Name, scenario.Concurrency, scenario.Buyers, scenario.Products, scenario.LinesPerCart,
            scenario.StockPerProduct, Math.Round(preparation.Elapsed.TotalSeconds, 1), load, verification, cpu,
            load.Successes > 0 ? Math.Round(cpu.ServerSeconds / load.Successes, 5) : null,
            memory, Math.Round(memory.Values.Sum(), 1), null);
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
