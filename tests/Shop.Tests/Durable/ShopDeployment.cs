using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Runtime.Messaging;
using Shop.Silo;
using Shop.Tests.Docs;

namespace Shop.Tests.Durable;

/// <summary>
/// Shop as production runs it, on this machine: silo processes sharing a PostgreSQL database and a
/// Redis membership table, and the API as a separate Orleans client process in front of them (or, when
/// asked, an API process hosting a silo of its own, as the benchmark runs it).
/// Every deployment has its own database and cluster id, so tests do not meet each other.
/// </summary>
public sealed class ShopDeployment : IAsyncDisposable
{
    private readonly Dictionary<string, string> common;
    private readonly List<SiloProcess> silos = [];
    private readonly string clusterId = $"c{Guid.NewGuid():N}";
    private IHost? client;

    public ShopDeployment(string postgres, string redis)
    {
        Postgres = postgres;
        Redis = redis;
        common = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Shop__Storage"] = "Postgres",
            ["Shop__Clustering"] = "Redis",
            ["Shop__ClusterId"] = clusterId,
            ["Shop__ServiceId"] = clusterId,
            ["Shop__AdvertisedIP"] = "127.0.0.1",
            ["ConnectionStrings__Postgres"] = postgres,
            ["ConnectionStrings__Redis"] = redis,
            ["Logging__LogLevel__Default"] = "Warning",
        };
        ApiUrl = FreeUrl();
    }

    public string Postgres { get; }

    public string Redis { get; }

    /// <summary>The API's address; a new one if its first port was taken before it could bind it.</summary>
    public string ApiUrl { get; private set; }

    public ShopProcess? Api { get; private set; }

    public IReadOnlyList<ShopProcess> Silos => [.. silos.Select(s => s.Process)];

    /// <summary>
    /// Starts <paramref name="siloCount"/> silo processes and, once all are members, the API; with
    /// <paramref name="apiHostsSilo"/> the API runs a silo of its own (<c>Shop:Hosting=Embedded</c>), one
    /// more member of the cluster.
    /// </summary>
    /// <remarks>
    /// The API starts after the silos have joined so that its first gateway list names every silo: an API
    /// that connected while only the first silo was up would send it everything until its next refresh
    /// of the list, and the grains it activates would all live there.
    /// </remarks>
    public async Task StartAsync(int siloCount, bool apiHostsSilo = false)
    {
        for (var i = 0; i < siloCount; i++)
        {
            StartSilo();
        }

        await WaitForSilosAsync(siloCount);
        await StartApiAsync(apiHostsSilo);
        if (apiHostsSilo)
        {
            await WaitForSilosAsync(siloCount + 1);
        }
    }

    /// <summary>Each silo's own HTTP address: <c>/metrics</c>, <c>/health/*</c>, <c>/dashboard</c>.</summary>
    public IReadOnlyList<string> SiloHttpUrls => [.. silos.Select(s => s.HttpUrl)];

    /// <summary>Starts one more silo on fresh ports, with <paramref name="settings"/> on top of the deployment's.</summary>
    public ShopProcess StartSilo(IReadOnlyDictionary<string, string>? settings = null)
    {
        var silo = LaunchSilo(settings ?? new Dictionary<string, string>());
        silos.Add(silo);
        return silo.Process;
    }

    private SiloProcess LaunchSilo(IReadOnlyDictionary<string, string> settings)
    {
        var siloPort = ShopProcess.FreePort();
        var gatewayPort = ShopProcess.FreePort();
        var httpPort = ShopProcess.FreePort();
        var environment = new Dictionary<string, string>(common)
        {
            ["Shop__SiloPort"] = siloPort.ToString(CultureInfo.InvariantCulture),
            ["Shop__GatewayPort"] = gatewayPort.ToString(CultureInfo.InvariantCulture),
            ["Shop__HttpPort"] = httpPort.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in settings)
        {
            environment[key] = value;
        }

        var process = ShopProcess.Start("Silo", "Shop.Silo", environment);
        return new SiloProcess(process, siloPort, string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{httpPort}"), settings);
    }

    /// <summary>
    /// A free port is only free when asked: another process (any outgoing connection, on a machine busy
    /// with parallel tests) can take it before the silo binds it. A silo that exited for that reason is
    /// started again on fresh ports, as an operator would; any other exit is left for the test to see.
    /// </summary>
    private async Task RelaunchSilosThatLostTheirPortsAsync()
    {
        for (var i = 0; i < silos.Count; i++)
        {
            if (silos[i].Process.LostItsPort())
            {
                await silos[i].Process.DisposeAsync();
                silos[i] = LaunchSilo(silos[i].Settings);
            }
        }
    }

    /// <summary>Starts the API; one that lost its port before binding it (as silos can) is started again on a fresh one.</summary>
    public async Task StartApiAsync(bool hostsSilo = false)
    {
        for (var attempt = 1; ; attempt++)
        {
            var environment = new Dictionary<string, string>(common)
            {
                ["Shop__Hosting"] = hostsSilo ? "Embedded" : "Client",
                ["Urls"] = ApiUrl,
                ["ASPNETCORE_URLS"] = ApiUrl,
                // A local cluster: development tokens on, as scripts/cluster.sh runs it.
                ["Shop__Auth__DevelopmentTokens__Enabled"] = "true",
            };
            if (hostsSilo)
            {
                environment["Shop__SiloPort"] = ShopProcess.FreePort().ToString(CultureInfo.InvariantCulture);
                environment["Shop__GatewayPort"] = ShopProcess.FreePort().ToString(CultureInfo.InvariantCulture);
            }

            Api = ShopProcess.Start("Api", "Shop.Api", environment);
            try
            {
                await Api.WaitUntilHealthyAsync($"{ApiUrl}/health/ready", TimeSpan.FromSeconds(90));
                return;
            }
            catch (Xunit.Sdk.XunitException) when (attempt < 3 && Api.LostItsPort())
            {
                await Api.DisposeAsync();
                ApiUrl = FreeUrl();
            }
            catch (Xunit.Sdk.XunitException)
            {
                Assert.Fail($"The API did not become ready. Silos said:\n{string.Join("\n---\n", Silos.Select(s => s.Output))}\nAPI said:\n{Api.Output}");
            }
        }
    }

    private static string FreeUrl() => string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ShopProcess.FreePort()}");

    /// <summary>Stops every silo and the API the way an orchestrator does (SIGTERM), waiting for each to exit.</summary>
    public async Task StopAllAsync()
    {
        await StopClientAsync();
        var processes = Silos.Append(Api).OfType<ShopProcess>().ToList();
        await Task.WhenAll(processes.Select(p => p.StopAsync(TimeSpan.FromSeconds(30))));
        foreach (var process in processes)
        {
            await process.DisposeAsync();
        }

        silos.Clear();
        Api = null;
    }

    /// <summary>An Orleans client of the cluster, for what only the cluster can tell (which silo hosts what).</summary>
    public async Task<IClusterClient> ClusterClientAsync()
    {
        if (client is null)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Shop:Clustering"] = "Redis",
                ["Shop:ClusterId"] = clusterId,
                ["Shop:ServiceId"] = clusterId,
                ["ConnectionStrings:Redis"] = Redis,
            }).Build();
            var builder = Host.CreateApplicationBuilder();
            builder.UseOrleansClient(c => c.UseShopCluster(configuration));
            var host = builder.Build();
            try
            {
                await host.StartAsync();
            }
            catch
            {
                host.Dispose();
                throw;
            }

            client = host;
        }

        return client.Services.GetRequiredService<IClusterClient>();
    }

    /// <summary>
    /// Waits until exactly <paramref name="count"/> silos are active in the membership table and none of
    /// them is one whose process has exited: a killed silo counts as active until the others declare it
    /// dead (tens of seconds), and until then its grains cannot be reactivated elsewhere.
    /// </summary>
    public async Task WaitForSilosAsync(int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (true)
        {
            await RelaunchSilosThatLostTheirPortsAsync();
            IManagementGrain management;
            Dictionary<SiloAddress, SiloStatus> active;
            try
            {
                management = (await ClusterClientAsync()).GetGrain<IManagementGrain>(0);
                active = await management.GetHosts(onlyActive: true);
            }
            catch (Exception exception) when (exception is SiloUnavailableException or ConnectionFailedException && DateTime.UtcNow < deadline)
            {
                // No silo has opened its gateway yet, or the gateway this client asked is one of a silo
                // that was just killed (the client drops it from its list and asks another next time).
                await Task.Delay(500);
                continue;
            }

            var exited = silos.Where(s => s.Process.HasExited).Select(s => s.SiloPort).ToHashSet();
            if (active.Count == count && !active.Keys.Any(silo => exited.Contains(silo.Endpoint.Port)))
            {
                return;
            }

            if (DateTime.UtcNow >= deadline)
            {
                var table = await management.GetDetailedHosts(onlyActive: false);
                var processes = silos.Select(s => $"silo on port {s.SiloPort} ({(s.Process.HasExited ? "exited" : "running")}) said:\n{Tail(s.Process.Output, 40)}");
                Assert.Fail($"{active.Count} silos active, expected {count}. Membership:\n{string.Join('\n', table.Select(h => $"{h.SiloAddress} {h.Status}"))}\n{string.Join("\n---\n", processes)}");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>An HTTP client of the API with a development token.</summary>
    public async Task<HttpClient> ClientForAsync(string userId, params string[] permissions)
    {
        var http = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = TimeSpan.FromSeconds(150) };
        var response = await http.PostAsJsonAsync("/api/auth/token", new { user_id = userId, permissions });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<System.Text.Json.Nodes.JsonNode>())!["access_token"]!.GetValue<string>();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    public async ValueTask DisposeAsync()
    {
        await StopClientAsync();
        foreach (var process in Silos.Append(Api).OfType<ShopProcess>())
        {
            await process.DisposeAsync();
        }

        // For chasing a rare failure in a loop of runs: every process's whole output, kept.
        if (Environment.GetEnvironmentVariable("SHOP_TEST_LOGS") is { Length: > 0 } logs)
        {
            Directory.CreateDirectory(logs);
            var stamp = $"{DateTime.UtcNow:HHmmss}-{Guid.NewGuid().ToString("N")[..6]}";
            for (var i = 0; i < silos.Count; i++)
            {
                await File.WriteAllTextAsync(Path.Combine(logs, $"{stamp}-silo{i}-{silos[i].SiloPort}.log"), silos[i].Process.Output);
            }

            if (Api is { } api)
            {
                await File.WriteAllTextAsync(Path.Combine(logs, $"{stamp}-api.log"), api.Output);
            }
        }
    }

    private sealed record SiloProcess(ShopProcess Process, int SiloPort, string HttpUrl, IReadOnlyDictionary<string, string> Settings);

    private static string Tail(string text, int lines) => string.Join('\n', text.Split('\n').TakeLast(lines));

    private async Task StopClientAsync()
    {
        if (client is not null)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await client.StopAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
            }

            client.Dispose();
            client = null;
        }
    }
}
