using System.Text.Json;

namespace Shop.Api.Json;

public static class JsonExtensions
{
    public static IServiceCollection AddShopJson(this IServiceCollection services) =>
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            // "5" is not 5: numbers sent as strings are rejected, not coerced.
            json.NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict;
            json.Converters.Add(new MoneyConverter());
            json.Converters.Add(new UtcTimestampConverter());
            json.TypeInfoResolverChain.Insert(0, ShopJsonContext.Default);
        });
}
