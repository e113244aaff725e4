using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace Shop.TraceSummary;

/// <summary>
/// The runtime's allocation samples (one about every 100 KB a thread allocates, attributed to the object
/// that crossed the mark): megabytes by type, or for one type the commonest stacks that allocated it.
/// </summary>
public static class AllocationReport
{
    private const int Frames = 12;

    public static int Print(string path, string? stacksOf)
    {
        // (Converts the trace to an .etlx file beside it first, for the stacks.)
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
        var bytes = new Dictionary<string, long>();
        long total = 0;
        foreach (var traced in log.Events)
        {
            if (traced is not GCAllocationTickTraceData tick)
            {
                continue;
            }

            var type = tick.TypeName ?? "?";
            total += tick.AllocationAmount64;
            if (stacksOf is null)
            {
                bytes[type] = bytes.GetValueOrDefault(type) + tick.AllocationAmount64;
            }
            else if (type.Contains(stacksOf, StringComparison.Ordinal))
            {
                var key = $"{type}\n      {string.Join("\n      ", StackOf(tick))}";
                bytes[key] = bytes.GetValueOrDefault(key) + tick.AllocationAmount64;
            }
        }

        Console.WriteLine($"about {total >> 20} MB allocated in the trace");
        foreach (var (key, amount) in bytes.OrderByDescending(b => b.Value).Take(stacksOf is null ? 40 : 8))
        {
            Console.WriteLine($"{amount * 100.0 / Math.Max(1, total),5:F1}% {amount >> 20,6} MB  {key}");
        }

        return 0;
    }

    private static List<string> StackOf(GCAllocationTickTraceData tick)
    {
        var frames = new List<string>(Frames);
        for (var frame = tick.CallStack(); frame is not null && frames.Count < Frames; frame = frame.Caller)
        {
            var method = frame.CodeAddress.FullMethodName;
            frames.Add(string.IsNullOrEmpty(method) ? $"{frame.CodeAddress.ModuleName}!?" : method);
        }

        return frames;
    }
}
