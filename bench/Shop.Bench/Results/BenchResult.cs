namespace Shop.Bench.Results;

/// <summary>
/// A whole benchmark invocation: what ran where, every run, pgbench, the HTTP floor (results written before it
/// existed have none), the ratios and the acceptance checks. With <c>--repeat</c>, <see cref="Runs"/>
/// holds the run that stands for each scenario and target (<see cref="Running.Repetitions"/>) and
/// <see cref="Repetitions"/> every repeated run, those included; otherwise it is empty.
/// </summary>
public sealed record BenchResult(
    string Command,
    DateTime StartedAt,
    double WallSeconds,
    MachineInfo Machine,
    IReadOnlyList<string> PostgresSettings,
    int Silos,
    string? Hosting,
    IReadOnlyList<RunResult> Runs,
    IReadOnlyList<PgBenchResult> PgBench,
    IReadOnlyList<Comparison> Comparisons,
    IReadOnlyList<AcceptanceCheck> Acceptance,
    FloorResult? Floor = null,
    IReadOnlyList<RunResult>? Repetitions = null)
{
    public bool Passed => Runs.All(r => r.Passed) && (Repetitions ?? []).All(r => r.Passed);

    /// <summary>Every repetition of the runs of <paramref name="label"/> on <paramref name="target"/>, in order (none when it ran once).</summary>
    public IReadOnlyList<RunResult> RepetitionsOf(string label, string target) =>
        [.. (Repetitions ?? []).Where(r => r.Label == label && r.Target == target).OrderBy(r => r.Repetition)];

    /// <summary>Where Shop's API ran; results written before the option existed ran it as a client.</summary>
    public string ShopHosting => Hosting ?? Targets.ShopHosting.Client;
}

/// <summary>Shop against the baseline on one scenario: the ratios the issue asks for (Shop / baseline).</summary>
public sealed record Comparison(
    string Label,
    double ShopCheckoutsPerSecond,
    double BaselineCheckoutsPerSecond,
    double? Ratio,
    double? ShopSoldOutPerSecond,
    double? BaselineSoldOutPerSecond,
    double? SoldOutRatio);

/// <summary>One of the acceptance criteria: what was measured, and whether it holds (null: not measured by this run).</summary>
public sealed record AcceptanceCheck(string Criterion, string Measured, bool? Met);
