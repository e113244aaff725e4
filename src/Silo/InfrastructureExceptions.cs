using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Shop.Silo;

public static class InfrastructureExceptions
{
    /// <summary>
    /// Lets database and Redis exceptions cross grain boundaries. Orleans serializes only exceptions from
    /// namespaces it knows (System, Microsoft, Azure); without this, a PostgreSQL outage inside a grain
    /// surfaces as a serialization failure instead of the storage error the callers retry and report as 503.
    /// </summary>
    public static IServiceCollection AddShopExceptionSerialization(this IServiceCollection services) =>
        services.Configure<ExceptionSerializationOptions>(options =>
        {
            options.SupportedNamespacePrefixes.Add("Npgsql");
            options.SupportedNamespacePrefixes.Add("StackExchange.Redis");
        });
}
