namespace Shop.Bench.Running;

/// <summary>
/// The books after a run. <see cref="UnitsSold"/> counts the units of acknowledged checkouts and of
/// checkouts with an unknown outcome that turned out to have an order; <see cref="Oversold"/> the units
/// sold beyond a product's stock (must be 0). Any failure fails the whole benchmark.
/// </summary>
public sealed record Verification(
    bool Passed,
    IReadOnlyList<string> Failures,
    int? ExpectedSuccesses,
    int UnitsSold,
    int Oversold,
    int UnknownOutcomesCommitted,
    long Orders,
    long Lines,
    string LinesSource,
    double ReadModelSettledSeconds);
