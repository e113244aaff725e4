using Microsoft.Diagnostics.Tracing;

namespace Shop.TraceSummary;

/// <summary>
/// Methods the JIT compiled, per second of the trace and by optimization tier: whether a run still warms up.
/// With a time window, also which methods it compiled in it (by tier, commonest namespaces first).
/// </summary>
public static class JitReport
{
    public static int Print(string path, double? fromSecond = null, double? toSecond = null)
    {
        using var source = new EventPipeEventSource(path);
        var perSecond = new SortedDictionary<int, SortedDictionary<string, int>>();
        var inWindow = new List<(string Tier, string Namespace, string Name)>();
        source.Clr.MethodLoadVerbose += method =>
        {
            var second = (int)(method.TimeStampRelativeMSec / 1000);
            if (!perSecond.TryGetValue(second, out var tiers))
            {
                perSecond[second] = tiers = [];
            }

            var tier = method.OptimizationTier.ToString();
            tiers[tier] = tiers.GetValueOrDefault(tier) + 1;
            var at = method.TimeStampRelativeMSec / 1000;
            if (fromSecond is { } from && at >= from && at < (toSecond ?? double.MaxValue))
            {
                inWindow.Add((tier, method.MethodNamespace, method.MethodName));
            }
        };
        source.Process();

        foreach (var (second, tiers) in perSecond)
        {
            Console.WriteLine($"{second,5} s  {string.Join("  ", tiers.Select(t => $"{t.Key} {t.Value}"))}");
        }

        if (fromSecond is null)
        {
            return 0;
        }

        Console.WriteLine();
        Console.WriteLine($"{inWindow.Count} methods compiled from {fromSecond} s to {toSecond?.ToString() ?? "the end"}:");
        foreach (var tier in inWindow.GroupBy(m => m.Tier).OrderByDescending(g => g.Count()))
        {
            Console.WriteLine($"  {tier.Key}: {tier.Count()}");
            foreach (var type in tier.GroupBy(m => Shorten(m.Namespace)).OrderByDescending(g => g.Count()).Take(25))
            {
                Console.WriteLine($"    {type.Count(),5}  {type.Key}  (e.g. {type.First().Name})");
            }
        }

        return 0;
    }

    /// <summary>A method's type without its generic arguments, which make most names unreadable.</summary>
    private static string Shorten(string type)
    {
        var generic = type.IndexOf('[', StringComparison.Ordinal);
        var name = generic < 0 ? type : type[..generic];
        return name.Length > 110 ? name[..110] : name;
    }
}
