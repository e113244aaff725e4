using Microsoft.Extensions.Configuration;
using Orleans.Configuration;
using Shop.Silo.Clustering;

namespace Shop.Silo;

public static class ShopClientBuilderExtensions
{
    /// <summary>
    /// An Orleans client of a Shop cluster (the API in cluster mode): gateways found through the same
    /// clustering the silos use, transactions enabled so that the client can call transactional grains.
    /// </summary>
    public static IClientBuilder UseShopCluster(this IClientBuilder client, IConfiguration configuration)
    {
        client.Services.AddGrainInterfaceTypeCache();
        var options = ShopHostingOptions.From(configuration);
        switch (options.Clustering)
        {
            case ClusteringKind.Localhost:
                client.UseLocalhostClustering(options.GatewayPort, options.ServiceId, options.ClusterId);
                break;
            case ClusteringKind.Redis:
                client.UseShopRedisClustering(ShopHostingOptions.ConnectionString(configuration, "Redis"));
                client.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Clustering '{options.Clustering}'.");
        }

        client.Services.AddShopExceptionSerialization();
        // Longer than a checkout's own bound (its attempts, then resolving an in-doubt outcome), so the
        // API rarely has to ask again; when it does, the retry finds the first attempt's outcome.
        client.Configure<ClientMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromSeconds(60));
        return client.UseTransactions().AddActivityPropagation();
    }
}
