using Shop.Bench.Results;

namespace Shop.Bench.Running;

/// <summary>
/// Repeated runs of one scenario on one target (<c>--repeat</c>), and the run that stands for them in the
/// tables, ratios and acceptance checks: the one with the median checkouts/s (the lower of the two middle
/// ones when the count is even), or, when any of them failed or did not balance, the first such run, so
/// that a failure is never hidden behind a good median.
/// </summary>
public static class Repetitions
{
    public static RunResult Representative(IReadOnlyList<RunResult> runs)
    {
        ArgumentOutOfRangeException.ThrowIfZero(runs.Count);
        return runs.FirstOrDefault(r => !r.Passed || r.Load is null)
            ?? runs.OrderBy(r => r.Load!.CheckoutsPerSecond).ElementAt((runs.Count - 1) / 2);
    }
}
