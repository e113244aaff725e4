namespace Shop.Bench.Measurement;

/// <summary>A server process whose CPU time counts against the target: <paramref name="Group"/> names it in the results (silo, api, postgres, redis, baseline).</summary>
/// <remarks>
/// <paramref name="IsApplication"/>: the target's own program (Shop's silos and API, the baseline), as opposed
/// to PostgreSQL or Redis; its peak memory is reported, and the wait for quiet processes watches it.
/// </remarks>
public sealed record MeasuredProcess(string Group, int Pid, bool WithChildren, bool IsApplication);
