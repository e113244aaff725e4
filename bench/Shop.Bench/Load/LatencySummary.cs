using System.Diagnostics;
using HdrHistogram;

namespace Shop.Bench.Load;

/// <summary>Latency percentiles of one outcome, in milliseconds (HdrHistogram, 3 significant digits).</summary>
public sealed record LatencySummary(long Count, double P50Ms, double P95Ms, double P99Ms, double MaxMs)
{
    public static readonly LatencySummary Empty = new(0, 0, 0, 0, 0);

    public static LatencySummary Of(IEnumerable<long> stopwatchDurations)
    {
        // Microseconds, from 1 µs to one hour.
        var histogram = new LongHistogram(3_600_000_000L, 3);
        foreach (var duration in stopwatchDurations)
        {
            histogram.RecordValue(Math.Clamp(duration * 1_000_000 / Stopwatch.Frequency, 1, 3_600_000_000L));
        }

        return histogram.TotalCount == 0
            ? Empty
            : new LatencySummary(
                histogram.TotalCount,
                Milliseconds(histogram.GetValueAtPercentile(50)),
                Milliseconds(histogram.GetValueAtPercentile(95)),
                Milliseconds(histogram.GetValueAtPercentile(99)),
                Milliseconds(histogram.GetMaxValue()));
    }

    private static double Milliseconds(long microseconds) => Math.Round(microseconds / 1000.0, 1);
}
