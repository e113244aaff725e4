namespace Shop.Bench.Measurement;

/// <summary>CPU seconds the given processes spend between <see cref="Start"/> and <see cref="Stop"/>, by group.</summary>
public sealed class CpuMeter
{
    private readonly IReadOnlyList<MeasuredProcess> processes;
    private readonly Dictionary<MeasuredProcess, double> before;
    private readonly TimeSpan ownBefore;

    private CpuMeter(IReadOnlyList<MeasuredProcess> processes)
    {
        this.processes = processes;
        before = processes.ToDictionary(p => p, p => ProcFs.CpuSeconds(p.Pid, p.WithChildren));
        ownBefore = Environment.CpuUsage.TotalTime;
    }

    public static CpuMeter Start(IReadOnlyList<MeasuredProcess> processes) => new(processes);

    public CpuUsage Stop()
    {
        var byGroup = processes
            .GroupBy(p => p.Group)
            .ToDictionary(g => g.Key, g => Math.Round(g.Sum(p => ProcFs.CpuSeconds(p.Pid, p.WithChildren) - before[p]), 2));
        return new CpuUsage(Math.Round(byGroup.Values.Sum(), 2), byGroup, Math.Round((Environment.CpuUsage.TotalTime - ownBefore).TotalSeconds, 2));
    }
}

/// <summary>Server CPU seconds in total and by group, and the load generator's own.</summary>
public sealed record CpuUsage(double ServerSeconds, IReadOnlyDictionary<string, double> ByGroup, double LoadGeneratorSeconds);
