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
        services.AddOptions<SalesOptions>()
            .Bind(shop.GetSection("Sales"))
            .Validate(o => o.MaxBatch is >= 1 and <= OrderIds.PerBatch, $"Shop:Sales:MaxBatch must be between 1 and {OrderIds.PerBatch} (a batch's orders share one range of ids).")
            .Validate(o => o.Crowd is >= 1 and <= 1_000, "Shop:Sales:Crowd must be between 1 and 1000 (buyers of one product within QuietBeforeDesk).")
            .Validate(o => o.StockLanes is >= 1 and <= 1_024, "Shop:Sales:StockLanes must be between 1 and 1024.")
            .Validate(o => o.IdleLease > TimeSpan.Zero, "Shop:Sales:IdleLease must be positive.")
            .Validate(o => o.LeaseExtra is >= 0 and <= 10_000, "Shop:Sales:LeaseExtra must be between 0 and 10000 (units leased beyond a batch's buyers).")
            .ValidateOnStart();
        services.AddMetrics();
        services.TryAddSingleton<ShopMetrics>();
        services.AddSingleton<IdGenerator>();
        services.AddSingleton<TransactionRunner>();
        services.AddSingleton<SoldOutBoard>();
        services.AddSingleton<ProductTraffic>();
        services.AddSingleton<CheckoutCoordinator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, OutboxSweeper>();
        services.TryAddSingleton<IShopReadModel, InMemoryShopReadModel>();
        services.TryAddSingleton<ICheckoutWaits, InMemoryCheckoutWaits>();
        return services;
    }
}
