using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Metadata;
using Orleans.Serialization.TypeSystem;
using Shop.Silo;

namespace Shop.Tests;

/// <summary>The cache of grain interface types answers what Orleans itself would, for every Shop grain interface.</summary>
public sealed class GrainInterfaceTypeCacheTests
{
    [Fact]
    public void EveryShopGrainInterfaceResolvesAsOrleansResolvesIt()
    {
        using var host = new HostBuilder()
            .UseOrleansClient(client => client.UseLocalhostClustering().Services.AddGrainInterfaceTypeCache())
            .Build();
        var services = host.Services;
        var cached = services.GetRequiredService<GrainInterfaceTypeResolver>();
        var orleans = new GrainInterfaceTypeResolver([new AttributeGrainInterfaceTypeProvider(services)], services.GetRequiredService<TypeConverter>());
        var interfaces = typeof(ICartGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t)).ToList();

        Assert.Contains(typeof(IOrderBatchGrain), interfaces);
        Assert.IsType<CachedGrainInterfaceTypeProvider>(services.GetServices<IGrainInterfaceTypeProvider>().First());
        foreach (var type in interfaces)
        {
            Assert.Equal(orleans.GetGrainInterfaceType(type), cached.GetGrainInterfaceType(type));
            Assert.Equal(orleans.GetGrainInterfaceType(type), cached.GetGrainInterfaceType(type));
        }
    }
}
