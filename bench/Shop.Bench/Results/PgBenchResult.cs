namespace Shop.Bench.Results;

/// <summary>pgbench running the baseline's checkout statements on one hot row (bench/SqlBaseline/Database/checkout.pgbench).</summary>
public sealed record PgBenchResult(int Clients, int Threads, int Seconds, long Transactions, double TransactionsPerSecond, double LatencyAverageMs);
