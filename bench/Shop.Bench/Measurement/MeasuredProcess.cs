namespace Shop.Bench.Measurement;

/// <summary>A server process whose CPU time counts against the target: <paramref name="Group"/> names it in the results (silo, api, postgres, redis, baseline).</summary>
public sealed record MeasuredProcess(string Group, int Pid, bool WithChildren, bool CountsMemory);
