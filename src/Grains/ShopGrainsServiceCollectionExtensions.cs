using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Shop.Diagnostics;

namespace Shop.Grains;

public static class ShopGrainsServiceCollectionExtensions
{
    /// <summary>The services the grains need; options come from the <c>Shop</c> configuration section.</summary>
    public static IServiceCollection AddShopGrains(this IServiceCollection services, IConfiguration configuration)
    {
        var shop = configuration.GetSection("Shop");
        services.Configure<PricingOptions>(shop.GetSection("Pricing"));
        services.Configure<OutboxOptions>(shop.GetSection("Outbox"));
        services.Configure<IdGeneratorOptions>(shop.GetSection("Ids"));
        services.Configure<TransactionRetryOptions>(shop.GetSection("Transactions"));
        services.Configure<SalesOptions>(shop.GetSection("Sales"));
        services.AddMetrics();
        services.TryAddSingleton<ShopMetrics>();
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<TransactionRunner>();
        services.AddSingleton<SoldOutBoard>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, OutboxSweeper>();
        services.TryAddSingleton<IShopReadModel, InMemoryShopReadModel>();
        return services;
    }
}
