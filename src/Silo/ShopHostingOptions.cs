using Microsoft.Extensions.Configuration;

namespace Shop.Silo;

public enum StorageKind
{
    /// <summary>In the silo's memory: the embedded first look, gone when the process stops.</summary>
    Memory,
}

public enum ClusteringKind
{
    /// <summary>One silo on this machine.</summary>
    Localhost,
}

/// <summary>The <c>Shop</c> configuration section: which providers back the cluster, and its identity.</summary>
public sealed class ShopHostingOptions
{
    public StorageKind Storage { get; set; } = StorageKind.Memory;

    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    public string ClusterId { get; set; } = "shop";

    public string ServiceId { get; set; } = "shop";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    public static ShopHostingOptions From(IConfiguration configuration) =>
        configuration.GetSection("Shop").Get<ShopHostingOptions>() ?? new ShopHostingOptions();
}
