using System.Net.Http.Headers;
using Shop.Bench.Infrastructure;
using Shop.Bench.Load;
using Shop.Bench.Measurement;
using Shop.Bench.Reporting;
using Shop.Bench.Results;
using Shop.Bench.Targets;
using Spectre.Console;

namespace Shop.Bench.Running;

/// <summary>
/// How many sold-out answers a second an ASP.NET Core process can give on this machine at all: the SQL
/// baseline started as the floor (<c>Baseline:Floor</c>), whose checkout answers every request with the
/// contract's sold-out 409 once the bearer token is checked and the body bound, and touches nothing else.
/// Driven like the hot sale (same load generator, same concurrency, as many requests as its buyers, one
/// token per worker), after an untimed round and the same wait for quiet processes. It is the baseline's HTTP
/// exchange with nothing behind it (a server that remembered validated tokens could answer somewhat faster); what
/// the load generator spends per request here bounds the sold-out criterion for any server on this machine.
/// </summary>
public static class HttpFloor
{
    private static readonly byte[] Body = "{\"shipping_address_id\":1}"u8.ToArray();

    public static async Task<FloorResult?> MeasureAsync(
        Repository repository, PostgresServer postgres, Scenario hot, BenchOptions options, CancellationToken cancellation)
    {
        AnsiConsole.MarkupLine($"[bold]floor[/]: every checkout answered sold out with nothing behind it, {hot.Buyers:N0} requests, {hot.Concurrency} concurrent");
        var database = $"bench_f{Guid.NewGuid():N}"[..16];
        await postgres.CreateDatabaseAsync(database, cancellation);
        try
        {
            await using var target = await BaselineTarget.StartAsync(repository, postgres, database, null, cancellation, floor: true);
            var api = new ApiClient(target.Http);
            var tokens = new AuthenticationHeaderValue[hot.Concurrency];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = new AuthenticationHeaderValue("Bearer", await api.TokenAsync($"floor-{i}", [], cancellation));
            }

            List<Buyer> Requests(string round) =>
                [.. Enumerable.Range(0, hot.Buyers).Select(i => new Buyer(i, $"floor-{i % tokens.Length}", tokens[i % tokens.Length], Body, $"{round}-{i}", []))];

            var status = new LiveStatus("floor · baseline");
            var (record, cpu) = await ProgressView.ShowAsync(status, async () =>
            {
                await new CheckoutLoad(target.Entrances, Requests("warm"), hot.Concurrency, status, LiveStatus.WarmupPhase).RunAsync(cancellation);
                status.StartPhase(LiveStatus.SettlePhase, 0);
                await QuietWait.UntilQuietAsync([.. target.Processes.Where(p => p.IsApplication)], options.SettleTimeout, cancellation);
                var meter = CpuMeter.Start(target.Processes);
                var timed = await new CheckoutLoad(target.Entrances, Requests("timed"), hot.Concurrency, status).RunAsync(cancellation);
                return (timed, meter.Stop());
            });

            var load = LoadSummary.Of(record);
            AnsiConsole.MarkupLine($"  {load.SoldOut:N0} sold-out answers at {load.SoldOutPerSecond ?? 0:N0}/s, {load.Errors:N0} errors");
            return new FloorResult(load.Requests, hot.Concurrency, load.SoldOutPerSecond ?? 0, load.SoldOutLatency, load.Errors,
                cpu.ServerSeconds, cpu.LoadGeneratorSeconds);
        }
        catch (Exception e) when (e is BenchRunException or BenchSetupException or HttpRequestException)
        {
            AnsiConsole.MarkupLine($"[yellow]the HTTP floor could not be measured; it is missing from the results: {Markup.Escape(e.Message)}[/]");
            return null;
        }
        finally
        {
            await postgres.DropDatabaseAsync(database, CancellationToken.None);
        }
    }
}
