using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;

namespace Shop.TraceSummary;

/// <summary>Every garbage collection in the trace: how long it paused the process, what it promoted, where its marking went.</summary>
public static class GcReport
{
    // TraceEvent's MarkRootType, by index: the roots a collection marks from.
    private static readonly string[] Roots = ["stack", "finalize queue", "handles", "older generations (cards)", "sized refs", "overflow", "dependent handles", "new finalize queue", "steal", "bgc"];

    public static int Print(string path)
    {
        using var source = new EventPipeEventSource(path);
        source.NeedLoadedDotNetRuntimes();
        var collections = new List<TraceGC>();
        source.AddCallbackOnProcessStart(process => process.AddCallbackOnDotNetRuntimeLoad(runtime => runtime.GCEnd += (_, gc) => collections.Add(gc)));
        source.Process();

        Console.WriteLine($"{collections.Count} collections, {collections.Sum(c => c.PauseDurationMSec):F0} ms of pauses");
        foreach (var generation in collections.GroupBy(c => c.Generation).OrderBy(g => g.Key))
        {
            Console.WriteLine($"  gen{generation.Key}: {generation.Count()}, pauses {generation.Min(c => c.PauseDurationMSec):F0}-{generation.Max(c => c.PauseDurationMSec):F0} ms, promoted {generation.Min(c => c.PromotedMB):F1}-{generation.Max(c => c.PromotedMB):F1} MB");
        }

        foreach (var gc in collections)
        {
            Console.WriteLine($"#{gc.Number} at {gc.StartRelativeMSec / 1000:F2} s: gen{gc.Generation} {gc.Type} ({gc.Reason}), pause {gc.PauseDurationMSec:F1} ms (suspending {gc.SuspendDurationMSec:F1}), promoted {gc.PromotedMB:F1} MB, {gc.HeapCount} heap(s)");
            foreach (var (heap, marks) in (gc.PerHeapMarkTimes ?? []).OrderBy(h => h.Key))
            {
                var spent = marks.MarkTimes.Select((ms, i) => (Root: i < Roots.Length ? Roots[i] : $"root {i}", Ms: ms)).Where(m => m.Ms >= 1);
                Console.WriteLine($"    heap {heap} marking: {string.Join(", ", spent.Select(m => $"{m.Root} {m.Ms:F0} ms"))}");
            }
        }

        return 0;
    }
}
