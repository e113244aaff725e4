using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Grains;
using StackExchange.Redis;

namespace Shop.Silo.Clustering;

/// <summary>
/// Cluster membership in Redis. Run Redis with append-only persistence: a Redis restarted without its
/// data leaves silos unable to rejoin (dotnet/orleans#7784).
/// </summary>
public static class RedisMembership
{
    public static ISiloBuilder UseShopRedisClustering(this ISiloBuilder silo, string connectionString)
    {
        silo.UseRedisClustering(options => options.ConfigurationOptions = Options(connectionString));
        silo.Services.AddSingleton<IHealthProbe>(new RedisHealthProbe(connectionString));
        return silo;
    }

    public static IClientBuilder UseShopRedisClustering(this IClientBuilder client, string connectionString) =>
        client.UseRedisClustering(options => options.ConfigurationOptions = Options(connectionString));

    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        // Keep retrying while Redis is away instead of failing the silo's start.
        options.AbortOnConnectFail = false;
        return options;
    }

    private sealed class RedisHealthProbe(string connectionString) : IHealthProbe
    {
        private readonly Lazy<Task<ConnectionMultiplexer>> connection = new(() => ConnectionMultiplexer.ConnectAsync(Options(connectionString)));

        public string Name => "redis";

        public async Task CheckAsync(CancellationToken cancellationToken)
        {
            var multiplexer = await connection.Value.WaitAsync(cancellationToken);
            await multiplexer.GetDatabase().PingAsync().WaitAsync(cancellationToken);
        }
    }
}
