using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using Shop.Bench.Infrastructure;
using Shop.Bench.Load;
using Shop.Bench.Measurement;

namespace Shop.Bench.Targets;

/// <summary>
/// Shop in durable mode as production runs it: silo processes sharing PostgreSQL (grain and
/// transactional state, read model) and Redis (membership), configured through the environment exactly
/// as the durable tests do; the API either a separate Orleans client process or served by the silos
/// themselves (<see cref="ShopHosting"/>).
/// </summary>
public sealed class ShopTarget : ITarget
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    private readonly List<ServerProcess> silos;
    private readonly ServerProcess? api;
    private readonly ApiClient client;
    private readonly string adminToken;

    private ShopTarget(List<ServerProcess> silos, ServerProcess? api, IReadOnlyList<HttpClient> entrances, string adminToken, IReadOnlyList<MeasuredProcess> infrastructure)
    {
        this.silos = silos;
        this.api = api;
        Entrances = entrances;
        Http = entrances[0];
        client = new ApiClient(Http);
        this.adminToken = adminToken;
        Processes = [.. silos.Select(s => new MeasuredProcess(api is null ? "silo+api" : "silo", s.Pid, WithChildren: false, IsApplication: true)),
            .. api is null ? Array.Empty<MeasuredProcess>() : [new MeasuredProcess("api", api.Pid, WithChildren: false, IsApplication: true)],
            .. infrastructure];
    }

    public string Name => "shop";

    public HttpClient Http { get; }

    public IReadOnlyList<HttpClient> Entrances { get; }

    public IReadOnlyList<HttpClient> RuntimeMetrics => Entrances;

    public IReadOnlyList<MeasuredProcess> Processes { get; }

    public static async Task<ShopTarget> StartAsync(Repository repository, PostgresServer postgres, RedisServer redis, string database, int siloCount, string hosting, CancellationToken cancellation)
    {
        var clusterId = $"bench{Guid.NewGuid():N}"[..16];
        var common = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Shop__Storage"] = "Postgres",
            ["Shop__Clustering"] = "Redis",
            ["Shop__ClusterId"] = clusterId,
            ["Shop__ServiceId"] = clusterId,
            ["Shop__AdvertisedIP"] = "127.0.0.1",
            // The production connection string (docker-compose.yml, scripts/cluster.sh): a pool of 100.
            ["ConnectionStrings__Postgres"] = postgres.ConnectionString(database, maxPoolSize: 100),
            ["ConnectionStrings__Redis"] = redis.ConnectionString,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        var cohosted = hosting == ShopHosting.Cohosted;
        var silos = new List<ServerProcess>();
        ServerProcess? api = null;
        try
        {
            var gateways = new List<int>();
            var urls = new List<string>();
            for (var i = 0; i < siloCount; i++)
            {
                var (siloPort, gatewayPort) = (Ports.Free(), Ports.Free());
                gateways.Add(gatewayPort);
                var environment = new Dictionary<string, string>(common)
                {
                    ["Shop__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
                    ["Shop__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
                };
                if (cohosted)
                {
                    // The API's own program with its silo inside (Shop:Hosting=Embedded), on durable storage.
                    urls.Add(FreeUrl());
                    environment = ApiSettings(environment, "Embedded", urls[i]);
                }

                silos.Add(ServerProcess.Start(cohosted ? $"silo+api {i + 1}" : $"silo {i + 1}", cohosted ? repository.ApiAssembly : repository.SiloAssembly, environment));
            }

            // A silo opens its gateway once it is active: the API, started after, sees every silo.
            for (var i = 0; i < siloCount; i++)
            {
                await WaitForGatewayAsync(silos[i], gateways[i], cancellation);
            }

            if (cohosted)
            {
                foreach (var (silo, siloUrl) in silos.Zip(urls))
                {
                    await silo.WaitUntilReadyAsync($"{siloUrl}/health/ready", StartTimeout, cancellation);
                }
            }
            else
            {
                urls.Add(FreeUrl());
                api = ServerProcess.Start("api", repository.ApiAssembly, ApiSettings(common, "Client", urls[0]));
                await api.WaitUntilReadyAsync($"{urls[0]}/health/ready", StartTimeout, cancellation);
            }

            // Co-hosted, every silo process serves the API, and the load enters through all of them.
            HttpClient[] entrances = [.. urls.Select(LoadHttp.Create)];
            var adminToken = await new ApiClient(entrances[0]).TokenAsync("bench-admin", ApiClient.AdminPermissions, cancellation);
            return new ShopTarget(silos, api, entrances, adminToken,
            [
                new MeasuredProcess("postgres", postgres.PostmasterPid, WithChildren: true, IsApplication: false),
                new MeasuredProcess("redis", redis.Pid, WithChildren: false, IsApplication: false),
            ]);
        }
        catch
        {
            await StopAsync(silos, api);
            throw;
        }
    }

    public async Task<Ledger> ReadLedgerAsync(IReadOnlyList<long> productIds, LedgerExpectation expected, CancellationToken cancellation)
    {
        var stock = new Dictionary<long, int>();
        foreach (var id in productIds)
        {
            stock[id] = await client.StockAsync(adminToken, id, cancellation);
        }

        // The admin order listing and the audit trail are read from the read model, which lags commits.
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var orders = await client.TotalAsync(adminToken, "/api/orders?limit=1", cancellation);
            var lines = await client.TotalAsync(adminToken, "/api/audit?entity_type=Inventory&action=ORDER_FULFILLED&limit=1", cancellation);
            if ((orders == expected.Orders && lines == expected.Lines) || clock.Elapsed > SettleTimeout)
            {
                return new Ledger(stock, orders, lines, "audit ORDER_FULFILLED entries", Math.Round(clock.Elapsed.TotalSeconds, 1));
            }

            await Task.Delay(500, cancellation);
        }
    }

    public async Task<bool> HasOrderAsync(Buyer buyer, CancellationToken cancellation) =>
        await client.TotalAsync(buyer.Authorization.Parameter!, "/api/orders/me?limit=1", cancellation) > 0;

    public async ValueTask DisposeAsync()
    {
        foreach (var entrance in Entrances)
        {
            entrance.Dispose();
        }

        await StopAsync(silos, api);
    }

    private static async Task StopAsync(List<ServerProcess> silos, ServerProcess? api)
    {
        if (api is not null)
        {
            await api.DisposeAsync();
        }

        await Task.WhenAll(silos.Select(s => s.DisposeAsync().AsTask()));
    }

    /// <summary>The API's settings on top of <paramref name="settings"/>: where its grains run, its address, development tokens on.</summary>
    private static Dictionary<string, string> ApiSettings(IReadOnlyDictionary<string, string> settings, string hosting, string url) =>
        new(settings)
        {
            ["Shop__Hosting"] = hosting,
            ["Urls"] = url,
            ["ASPNETCORE_URLS"] = url,
            ["Shop__Auth__DevelopmentTokens__Enabled"] = "true",
        };

    private static string FreeUrl() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{Ports.Free()}");

    private static async Task WaitForGatewayAsync(ServerProcess silo, int port, CancellationToken cancellation)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync("127.0.0.1", port, cancellation);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                silo.ThrowIfExited();
                await Task.Delay(250, cancellation);
            }
            catch (SocketException)
            {
                throw new BenchSetupException($"{silo.Name} did not open its gateway within {StartTimeout.TotalSeconds:F0} s:\n{silo.Output}");
            }
        }
    }
}
