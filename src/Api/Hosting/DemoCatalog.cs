using System.Collections.Immutable;

namespace Shop.Api.Hosting;

/// <summary>
/// Opt-in (<c>Shop:DemoCatalog:Enabled</c>): a few products with stock for a first look, created once
/// the cluster is up. Products whose SKU exists already are left alone, so restarts are harmless.
/// </summary>
public sealed partial class DemoCatalog(IGrainFactory grains, IHostApplicationLifetime lifetime, ILogger<DemoCatalog> logger) : BackgroundService
{
    private static readonly NewProduct[] Products =
    [
        new("TS-RED-M", "T-Shirt Red - Medium", 30.00m, Attributes(("color", "red"), ("size", "M")), 100),
        new("TS-BLU-L", "T-Shirt Blue - Large", 32.00m, Attributes(("color", "blue"), ("size", "L")), 50),
        new("MUG-CLASSIC", "Classic Mug", 12.50m, Attributes(("material", "ceramic")), 200),
        new("SNK-LTD-42", "Limited Sneaker - 42", 180.00m, Attributes(("size", "42"), ("edition", "limited")), 10),
    ];

    public static IServiceCollection AddDemoCatalog(IServiceCollection services, IConfiguration configuration) =>
        configuration.GetValue("Shop:DemoCatalog:Enabled", false) ? services.AddHostedService<DemoCatalog>() : services;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var registration = lifetime.ApplicationStarted.Register(started.SetResult);
        await started.Task.WaitAsync(stoppingToken);
        foreach (var product in Products)
        {
            try
            {
                var created = await grains.GetGrain<IProductRegistrarGrain>(0).CreateAsync(product);
                LogCreated(logger, created.Product.Id, product.Name, product.InitialStock);
            }
            catch (ConflictException)
            {
                LogExists(logger, product.Sku);
            }
        }
    }

    private static ImmutableDictionary<string, string> Attributes(params (string Key, string Value)[] pairs) =>
        pairs.ToImmutableDictionary(p => p.Key, p => p.Value);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo catalog: product {ProductId} '{Name}' with stock {Stock}")]
    private static partial void LogCreated(ILogger logger, long productId, string name, int stock);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo catalog: SKU {Sku} exists already")]
    private static partial void LogExists(ILogger logger, string sku);
}
