namespace Shop.Bench.Measurement;

/// <summary>A server process whose CPU time counts against the target: <paramref name="Group"/> names it in the results (silo, api, postgres, redis, baseline).</summary>
/// <remarks><paramref name="CountsMemory"/>: the target's own program (Shop's silos and API, the baseline), not a database it uses.</remarks>
public sealed record MeasuredProcess(string Group, int Pid, bool WithChildren, bool CountsMemory)
{
    /// <summary>The target's own program, as opposed to PostgreSQL or Redis (whose memory is not counted either).</summary>
    public bool IsApplication => CountsMemory;
}
