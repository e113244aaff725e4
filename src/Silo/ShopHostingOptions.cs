using System.Net;
using Microsoft.Extensions.Configuration;

namespace Shop.Silo;

public enum StorageKind
{
    /// <summary>In the silo's memory: the embedded first look, gone when the process stops.</summary>
    Memory,

    /// <summary>PostgreSQL (<c>ConnectionStrings:Postgres</c>): durable, shared by every silo.</summary>
    Postgres,
}

public enum ClusteringKind
{
    /// <summary>One silo on this machine.</summary>
    Localhost,

    /// <summary>Membership in Redis (<c>ConnectionStrings:Redis</c>): several silos, clients find gateways there.</summary>
    Redis,
}

public enum GrainDirectoryKind
{
    /// <summary>
    /// Orleans' distributed directory: one activation per grain, also while a crashed silo's part of the
    /// directory is rebuilt from the silos still running (experimental in Orleans 10).
    /// </summary>
    Distributed,

    /// <summary>
    /// Orleans' default directory, eventually consistent: after a silo crash a grain can briefly run twice.
    /// Every silo of a cluster must use the same kind.
    /// </summary>
    Eventual,
}

/// <summary>
/// The <c>Shop</c> configuration section: which providers back the cluster, and its identity. Every key
/// can come from the environment too (<c>Shop__Storage=Postgres</c>, <c>ConnectionStrings__Postgres=...</c>).
/// </summary>
public sealed class ShopHostingOptions
{
    public StorageKind Storage { get; set; } = StorageKind.Memory;

    public ClusteringKind Clustering { get; set; } = ClusteringKind.Localhost;

    public GrainDirectoryKind GrainDirectory { get; set; } = GrainDirectoryKind.Distributed;

    public string ClusterId { get; set; } = "shop";

    public string ServiceId { get; set; } = "shop";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>
    /// A standalone silo's HTTP port: <c>/metrics</c>, <c>/health/live</c>, <c>/health/ready</c> and the
    /// Orleans Dashboard at <c>/dashboard</c>. 0 (the default): a free port on 127.0.0.1 only.
    /// </summary>
    public int HttpPort { get; set; }

    /// <summary>The address other silos and clients reach this silo at; by default the host's own address.</summary>
    public string? AdvertisedIP { get; set; }

    public static ShopHostingOptions From(IConfiguration configuration) =>
        configuration.GetSection("Shop").Get<ShopHostingOptions>() ?? new ShopHostingOptions();

    public static string ConnectionString(IConfiguration configuration, string name) =>
        configuration.GetConnectionString(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"ConnectionStrings:{name} is required for this configuration.");

    public IPAddress? AdvertisedAddress => AdvertisedIP is { Length: > 0 } ip ? IPAddress.Parse(ip) : null;
}
