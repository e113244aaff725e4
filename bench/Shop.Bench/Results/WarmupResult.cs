namespace Shop.Bench.Results;

/// <summary>
/// The untimed warm-up sale before a run (<c>Scenario.Warmup</c>): its size, its outcomes and how long it
/// took. Its orders and sold lines are in the target's books too; the run's verification counts only its own.
/// <c>QuietSeconds</c>: how long the target's processes then took to go quiet (the JIT finishing its
/// recompilations), waited before the clock started; null in results from before the wait existed.
/// </summary>
public sealed record WarmupResult(int Buyers, int Products, int StockPerProduct, int Successes, int SoldOut, long Lines, double Seconds, double? QuietSeconds = null);
