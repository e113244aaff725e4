using Shop.Api.Checkout;
using Shop.Silo;

namespace Shop.Api.Hosting;

/// <summary>Section <c>Shop:Hosting</c>: where the grains run relative to this API process.</summary>
public enum HostingMode
{
    /// <summary>A silo in this process (the first-look default): one command runs the whole shop.</summary>
    Embedded,

    /// <summary>This process is an Orleans client of a cluster of separate silos.</summary>
    Client,
}

public static class ClusterHostingExtensions
{
    public static WebApplicationBuilder AddShopCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = configuration.GetValue("Shop:Hosting", HostingMode.Embedded);
        switch (mode)
        {
            case HostingMode.Embedded:
                builder.UseOrleans(silo => silo.UseShopClustering(configuration).AddShop(configuration));
                break;
            case HostingMode.Client:
                builder.UseOrleansClient(client => client.UseShopCluster(configuration));
                break;
            default:
                throw new InvalidOperationException($"Unsupported Shop:Hosting '{mode}'.");
        }

        // In process with an embedded silo (its coordinator is registered), through a grain from a client.
        builder.Services.AddSingleton<CheckoutRunner>();
        return builder;
    }
}
