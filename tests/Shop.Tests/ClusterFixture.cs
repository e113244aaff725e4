using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Shop.Silo;

namespace Shop.Tests;

/// <summary>One in-process test cluster (one silo, in-memory storage), shared by a test collection.</summary>
public class ClusterFixture : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public ITransactionClient Transactions => Cluster.Client.ServiceProvider.GetRequiredService<ITransactionClient>();

    /// <summary>Configuration the silo sees, on top of the Shop defaults.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(Settings));
        builder.AddSiloBuilderConfigurator<ShopSiloConfigurator>();
        builder.AddClientBuilderConfigurator<ShopClientConfigurator>();
        Configure(builder);
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    /// <summary>More configurators for a fixture's silo (say, a call filter), on top of Shop's.</summary>
    protected virtual void Configure(TestClusterBuilder builder)
    {
    }

    public async Task DisposeAsync()
    {
        // A cluster stopping with transactions in flight can hang; never let that hold the test run.
        var stop = Cluster.StopAllSilosAsync();
        await Task.WhenAny(stop, Task.Delay(TimeSpan.FromSeconds(20)));
        await Cluster.DisposeAsync();
    }

    private sealed class ShopSiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddShop(siloBuilder.Configuration);
    }

    private sealed class ShopClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.UseTransactions().AddOutgoingGrainCallFilter<Shop.Grains.DomainExceptionCallFilter>();
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "Cluster";
}
