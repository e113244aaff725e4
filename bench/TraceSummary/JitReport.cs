using Microsoft.Diagnostics.Tracing;

namespace Shop.TraceSummary;

/// <summary>Methods the JIT compiled, per second of the trace and by optimization tier: whether a run still warms up.</summary>
public static class JitReport
{
    public static int Print(string path)
    {
        using var source = new EventPipeEventSource(path);
        var perSecond = new SortedDictionary<int, SortedDictionary<string, int>>();
        source.Clr.MethodLoadVerbose += method =>
        {
            var second = (int)(method.TimeStampRelativeMSec / 1000);
            if (!perSecond.TryGetValue(second, out var tiers))
            {
                perSecond[second] = tiers = [];
            }

            var tier = method.OptimizationTier.ToString();
            tiers[tier] = tiers.GetValueOrDefault(tier) + 1;
        };
        source.Process();

        foreach (var (second, tiers) in perSecond)
        {
            Console.WriteLine($"{second,5} s  {string.Join("  ", tiers.Select(t => $"{t.Key} {t.Value}"))}");
        }

        return 0;
    }
}
