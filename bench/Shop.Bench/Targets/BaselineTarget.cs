using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Shop.Bench.Infrastructure;
using Shop.Bench.Load;
using Shop.Bench.Measurement;

namespace Shop.Bench.Targets;

/// <summary>The SQL baseline (bench/SqlBaseline) against its own database on the same PostgreSQL server; its books are read with SQL.</summary>
public sealed class BaselineTarget : ITarget
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly ServerProcess process;
    private readonly NpgsqlDataSource database;

    private BaselineTarget(ServerProcess process, HttpClient http, NpgsqlDataSource database, MeasuredProcess postgres)
    {
        this.process = process;
        this.database = database;
        Http = http;
        Processes = [new MeasuredProcess("baseline", process.Pid, WithChildren: false, IsApplication: true), postgres];
    }

    public string Name => "baseline";

    public HttpClient Http { get; }

    public IReadOnlyList<HttpClient> Entrances => [Http];

    public IReadOnlyList<HttpClient> RuntimeMetrics => [];

    public IReadOnlyList<MeasuredProcess> Processes { get; }

    /// <param name="maxPoolSize">Overrides the baseline's own pool size (Baseline:MaxPoolSize) when set.</param>
    /// <param name="floor">Starts it as the HTTP floor (Baseline:Floor): every checkout answered sold out, nothing touched.</param>
    public static async Task<BaselineTarget> StartAsync(
        Repository repository, PostgresServer postgres, string databaseName, int? maxPoolSize, CancellationToken cancellation, bool floor = false)
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Ports.Free()}");
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["ConnectionStrings__Baseline"] = postgres.ConnectionString(databaseName),
            ["Urls"] = url,
            ["ASPNETCORE_URLS"] = url,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        if (floor)
        {
            environment["Baseline__Floor"] = "true";
        }

        if (maxPoolSize is { } size)
        {
            environment["Baseline__MaxPoolSize"] = size.ToString(CultureInfo.InvariantCulture);
        }

        var process = ServerProcess.Start("baseline", repository.BaselineAssembly, environment);
        try
        {
            await process.WaitUntilReadyAsync($"{url}/health/ready", StartTimeout, cancellation);
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }

        return new BaselineTarget(process, LoadHttp.Create(url), NpgsqlDataSource.Create(postgres.ConnectionString(databaseName, maxPoolSize: 4)),
            new MeasuredProcess("postgres", postgres.PostmasterPid, WithChildren: true, IsApplication: false));
    }

    public async Task<Ledger> ReadLedgerAsync(IReadOnlyList<long> productIds, LedgerExpectation expected, CancellationToken cancellation)
    {
        var clock = Stopwatch.StartNew();
        var stock = new Dictionary<long, int>();
        await using (var command = database.CreateCommand("SELECT id, stock FROM products WHERE id = ANY($1)"))
        {
            command.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. productIds] });
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                stock[reader.GetInt64(0)] = reader.GetInt32(1);
            }
        }

        var orders = await CountAsync("SELECT count(*) FROM orders", cancellation);
        var lines = await CountAsync("SELECT count(*) FROM order_items", cancellation);
        return new Ledger(stock, orders, lines, "order_items rows", Math.Round(clock.Elapsed.TotalSeconds, 1));
    }

    public async Task<bool> HasOrderAsync(Buyer buyer, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("SELECT EXISTS (SELECT 1 FROM orders WHERE user_id = $1)");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = buyer.UserId });
        return (bool)(await command.ExecuteScalarAsync(cancellation))!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await database.DisposeAsync();
        await process.DisposeAsync();
    }

    private async Task<long> CountAsync(string sql, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand(sql);
        return (long)(await command.ExecuteScalarAsync(cancellation))!;
    }
}
