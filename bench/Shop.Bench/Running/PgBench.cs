using System.Globalization;
using System.Text.RegularExpressions;
using Npgsql;
using Shop.Bench.Infrastructure;
using Shop.Bench.Results;

namespace Shop.Bench.Running;

/// <summary>
/// What PostgreSQL itself gets from the baseline's checkout statements on one hot row: pgbench with
/// bench/SqlBaseline/Database/checkout.pgbench (begin; the conditional stock UPDATE; the order INSERT; the
/// item INSERT; commit), prepared statements, against the baseline's schema in a database of its own.
/// </summary>
public static partial class PgBench
{
    public static readonly IReadOnlyList<int> Clients = [16, 64];

    private const int Threads = 2;

    public static async Task<IReadOnlyList<PgBenchResult>> RunAsync(Repository repository, PostgresServer postgres, int seconds, CancellationToken cancellation)
    {
        const string database = "bench_pgbench";
        await postgres.CreateDatabaseAsync(database, cancellation);
        try
        {
            var productId = await PrepareAsync(repository, postgres.ConnectionString(database), cancellation);
            var results = new List<PgBenchResult>();
            foreach (var clients in Clients)
            {
                await postgres.CheckpointAsync(cancellation);
                var output = await ExternalProgram.RunAsync(Path.Combine(postgres.Bin, "pgbench"),
                [
                    "-h", "127.0.0.1", "-p", postgres.Port.ToString(CultureInfo.InvariantCulture), "-U", PostgresServer.User,
                    "-n", "-M", "prepared", "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Threads.ToString(CultureInfo.InvariantCulture),
                    "-T", seconds.ToString(CultureInfo.InvariantCulture), "-D", $"product={productId}", "-f", repository.PgBenchScript, database,
                ], TimeSpan.FromSeconds(seconds + 60), cancellation: cancellation);
                results.Add(new PgBenchResult(clients, Threads, seconds,
                    (long)Number(Processed(), output),
                    Math.Round(Number(Tps(), output), 1),
                    Math.Round(Number(Latency(), output), 2)));
            }

            return results;
        }
        finally
        {
            await postgres.DropDatabaseAsync(database, CancellationToken.None);
        }
    }

    /// <summary>The baseline's schema and one product with stock that cannot run out in the time given.</summary>
    private static async Task<long> PrepareAsync(Repository repository, string connectionString, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellation);
        await using (var schema = new NpgsqlCommand(await File.ReadAllTextAsync(repository.BaselineSchema, cancellation), connection))
        {
            await schema.ExecuteNonQueryAsync(cancellation);
        }

        await using var product = new NpgsqlCommand(
            "INSERT INTO products (sku, name, price, attributes, stock, created_at) VALUES ('PGBENCH-HOT', 'Hot Item', 30.00, '{}', 1000000000, now()) RETURNING id",
            connection);
        return (long)(await product.ExecuteScalarAsync(cancellation))!;
    }

    private static double Number(Regex pattern, string output) =>
        pattern.Match(output) is { Success: true } match
            ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException($"pgbench printed no {pattern}:\n{output}");

    [GeneratedRegex(@"number of transactions actually processed: (\d+)")]
    private static partial Regex Processed();

    [GeneratedRegex(@"tps = ([\d.]+) \(without initial connection time\)")]
    private static partial Regex Tps();

    [GeneratedRegex(@"latency average = ([\d.]+) ms")]
    private static partial Regex Latency();
}
