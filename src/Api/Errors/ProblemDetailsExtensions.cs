namespace Shop.Api.Errors;

public static class ProblemDetailsExtensions
{
    /// <summary>
    /// Problem details for every error: exceptions through <see cref="ShopExceptionHandler"/>, and bodiless
    /// 4xx responses (401 from authentication, 403, unknown routes) through status code pages.
    /// </summary>
    public static IServiceCollection AddShopProblemDetails(this IServiceCollection services)
    {
        services.AddExceptionHandler<ShopExceptionHandler>();
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var problem = context.ProblemDetails;
            problem.Detail ??= problem.Status switch
            {
                StatusCodes.Status401Unauthorized => "A valid bearer token is required: it is missing, malformed, expired or not signed by a trusted issuer.",
                StatusCodes.Status403Forbidden => "The bearer token does not carry the permission this endpoint requires.",
                StatusCodes.Status404NotFound => "No resource exists at this path.",
                StatusCodes.Status405MethodNotAllowed => "This method is not allowed on this path.",
                StatusCodes.Status415UnsupportedMediaType => "Send the request body as application/json.",
                _ => null,
            };
            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions["trace_id"] = System.Diagnostics.Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
        });
        // Malformed bodies and query strings throw (instead of answering a bare 400) so the handler can name the field.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseShopProblemDetails(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        return app;
    }
}
