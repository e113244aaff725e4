using Microsoft.Extensions.Configuration;
using Shop.Grains;

namespace Shop.Silo;

public static class ShopSiloBuilderExtensions
{
    /// <summary>
    /// Everything a Shop silo needs except its clustering: grain storage, transactions and the grains'
    /// services, chosen by configuration (section <c>Shop</c>) so that the grains never change with them.
    /// </summary>
    public static ISiloBuilder AddShop(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ShopHostingOptions.From(configuration);
        switch (options.Storage)
        {
            case StorageKind.Memory:
                silo.AddMemoryGrainStorage(ShopStorage.State);
                silo.AddMemoryGrainStorage(ShopStorage.Transactions);
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Storage '{options.Storage}'.");
        }

        silo.UseTransactions();
        silo.AddOutgoingGrainCallFilter<DomainExceptionCallFilter>();
        silo.Services.AddShopGrains(configuration);
        return silo;
    }

    /// <summary>How the silo finds the rest of the cluster (section <c>Shop</c>).</summary>
    public static ISiloBuilder UseShopClustering(this ISiloBuilder silo, IConfiguration configuration)
    {
        var options = ShopHostingOptions.From(configuration);
        switch (options.Clustering)
        {
            case ClusteringKind.Localhost:
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Clustering '{options.Clustering}'.");
        }

        return silo;
    }
}
