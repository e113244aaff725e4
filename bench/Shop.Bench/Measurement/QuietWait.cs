using System.Diagnostics;

namespace Shop.Bench.Measurement;

/// <summary>
/// Waits until processes have gone quiet: less than <see cref="QuietCores"/> of a core over a
/// <see cref="Window"/>. After a warm-up sale a .NET process is still busy for seconds: its background JIT
/// recompiles, at its optimizing tier, the methods the sale made hot (one thread, behind a queue of
/// hundreds), and without this wait that work ran in the first seconds of the timed sale. A shop that
/// has been running for hours has long done it; a timed run should not pay for it either.
/// </summary>
public static class QuietWait
{
    public const double QuietCores = 0.1;

    public static readonly TimeSpan Window = TimeSpan.FromSeconds(1);

    /// <summary>Seconds waited: when the processes went quiet, or <paramref name="timeout"/> if they never did.</summary>
    public static async Task<double> UntilQuietAsync(IReadOnlyList<MeasuredProcess> processes, TimeSpan timeout, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var meter = CpuMeter.Start(processes);
            var window = Stopwatch.StartNew();
            await Task.Delay(Window, cancellation);
            if (meter.Stop().ServerSeconds / window.Elapsed.TotalSeconds < QuietCores)
            {
                break;
            }
        }

        return Math.Round(clock.Elapsed.TotalSeconds, 1);
    }
}
