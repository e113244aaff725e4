using System.Text.Json;

namespace Shop.SqlBaseline.Http;

public static class HttpServiceCollectionExtensions
{
    /// <summary>snake_case JSON, money with two decimals, UTC timestamps to the second, problem details for every error.</summary>
    public static IServiceCollection AddBaselineHttp(this IServiceCollection services)
    {
        services.ConfigureHttpJsonOptions(options =>
        {
            var json = options.SerializerOptions;
            json.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.Converters.Add(new MoneyConverter());
            json.Converters.Add(new UtcTimestampConverter());
            json.TypeInfoResolverChain.Insert(0, BaselineJsonContext.Default);
        });
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context => context.ProblemDetails.Detail ??= context.ProblemDetails.Status switch
        {
            StatusCodes.Status401Unauthorized => "A valid bearer token is required.",
            StatusCodes.Status403Forbidden => "The bearer token does not carry the permission this endpoint requires.",
            StatusCodes.Status404NotFound => "No resource exists at this path.",
            _ => null,
        });
        return services;
    }
}
