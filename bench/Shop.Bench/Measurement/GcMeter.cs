using System.Globalization;

namespace Shop.Bench.Measurement;

/// <summary>
/// Garbage collections and their pauses between <see cref="StartAsync"/> and <see cref="StopAsync"/>, from
/// the .NET runtime's own counters as Shop's processes publish them (<c>/metrics</c>, Prometheus text:
/// <c>dotnet_gc_collections_total</c> by generation, <c>dotnet_gc_pause_time_seconds_total</c>), summed
/// over the processes read. A pause stops every request in its process at once, which is what a sale's
/// p99 is made of (docs/benchmarks-log.md); the SQL baseline publishes no such counters and is not measured.
/// </summary>
public sealed class GcMeter
{
    private readonly IReadOnlyList<HttpClient> processes;
    private readonly GcUsage before;

    private GcMeter(IReadOnlyList<HttpClient> processes, GcUsage before)
    {
        this.processes = processes;
        this.before = before;
    }

    public static async Task<GcMeter> StartAsync(IReadOnlyList<HttpClient> processes, CancellationToken cancellation) =>
        new(processes, await ReadAsync(processes, cancellation));

    public async Task<GcUsage> StopAsync(CancellationToken cancellation)
    {
        var after = await ReadAsync(processes, cancellation);
        return new GcUsage(after.Gen0 - before.Gen0, after.Gen1 - before.Gen1, after.Gen2 - before.Gen2, Math.Round(after.PauseSeconds - before.PauseSeconds, 3));
    }

    private static async Task<GcUsage> ReadAsync(IReadOnlyList<HttpClient> processes, CancellationToken cancellation)
    {
        var total = new GcUsage(0, 0, 0, 0);
        foreach (var process in processes)
        {
            var one = Parse(await process.GetStringAsync("/metrics", cancellation));
            total = new GcUsage(total.Gen0 + one.Gen0, total.Gen1 + one.Gen1, total.Gen2 + one.Gen2, total.PauseSeconds + one.PauseSeconds);
        }

        return total;
    }

    /// <summary>The counters in one scrape; a missing counter (no collection of that generation yet) is zero.</summary>
    public static GcUsage Parse(string metrics)
    {
        long gen0 = 0, gen1 = 0, gen2 = 0;
        double pause = 0;
        foreach (var line in metrics.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("dotnet_gc_collections_total{"))
            {
                var count = (long)Value(line);
                switch (Generation(line))
                {
                    case "gen0":
                        gen0 = count;
                        break;
                    case "gen1":
                        gen1 = count;
                        break;
                    case "gen2":
                        gen2 = count;
                        break;
                }
            }
            else if (line.StartsWith("dotnet_gc_pause_time_seconds_total"))
            {
                pause = Value(line);
            }
        }

        return new GcUsage(gen0, gen1, gen2, pause);
    }

    private static string? Generation(ReadOnlySpan<char> line)
    {
        const string Label = "gc_heap_generation=\"";
        var start = line.IndexOf(Label, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = line[(start + Label.Length)..];
        return rest[..rest.IndexOf('"')].ToString();
    }

    // "name{labels} value [timestamp]"
    private static double Value(ReadOnlySpan<char> line)
    {
        var rest = line[(line.LastIndexOf('}') + 1)..].Trim();
        var end = rest.IndexOf(' ');
        return double.Parse(end < 0 ? rest : rest[..end], NumberStyles.Float, CultureInfo.InvariantCulture);
    }
}

/// <summary>Collections by generation (gen1 and gen2 also collect the younger ones) and the total time the runtime was paused for them.</summary>
public sealed record GcUsage(long Gen0, long Gen1, long Gen2, double PauseSeconds);
