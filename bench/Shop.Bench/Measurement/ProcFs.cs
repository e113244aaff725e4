using System.Globalization;

namespace Shop.Bench.Measurement;

/// <summary>CPU time and peak memory of processes, read from Linux's /proc.</summary>
public static class ProcFs
{
    // /proc reports times in USER_HZ, which Linux fixes at 100 on every architecture .NET runs on.
    private const double TicksPerSecond = 100;

    /// <summary>
    /// User plus system CPU seconds of <paramref name="pid"/>; with <paramref name="withChildren"/> also of its live
    /// children and of the children it has already reaped (PostgreSQL's backends come and go with connections).
    /// </summary>
    public static double CpuSeconds(int pid, bool withChildren)
    {
        if (Stat(pid) is not { } own)
        {
            return 0;
        }

        if (!withChildren)
        {
            return (own.User + own.System) / TicksPerSecond;
        }

        var total = own.User + own.System + own.ChildrenUser + own.ChildrenSystem;
        foreach (var child in ChildrenOf(pid))
        {
            if (Stat(child) is { } stat)
            {
                total += stat.User + stat.System + stat.ChildrenUser + stat.ChildrenSystem;
            }
        }

        return total / TicksPerSecond;
    }

    /// <summary>The process's peak resident set size (VmHWM), in bytes; null once it has exited.</summary>
    public static long? PeakResidentBytes(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? null : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<int> ChildrenOf(int parent)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && Stat(pid) is { } stat && stat.Parent == parent)
            {
                yield return pid;
            }
        }
    }

    private static ProcessStat? Stat(int pid)
    {
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so fields are counted after the last ')'.
        var fields = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return new ProcessStat(
            int.Parse(fields[1], CultureInfo.InvariantCulture),
            long.Parse(fields[11], CultureInfo.InvariantCulture),
            long.Parse(fields[12], CultureInfo.InvariantCulture),
            long.Parse(fields[13], CultureInfo.InvariantCulture),
            long.Parse(fields[14], CultureInfo.InvariantCulture));
    }

    private sealed record ProcessStat(int Parent, long User, long System, long ChildrenUser, long ChildrenSystem);
}
