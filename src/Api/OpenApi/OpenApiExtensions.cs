using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Shop.Api.OpenApi;

public static class OpenApiExtensions
{
    private const string Bearer = "Bearer";

    /// <summary>
    /// The OpenAPI document at <c>/openapi/v1.json</c>: every endpoint with its status codes, the schemas
    /// in their snake_case JSON form, and the bearer scheme on every protected operation.
    /// </summary>
    public static IServiceCollection AddShopOpenApi(this IServiceCollection services) => services.AddOpenApi(options =>
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info = new OpenApiInfo
            {
                Title = "Shop API",
                Version = "v1",
                Description = """
                    A commerce backend for flash sales. JSON bodies use snake_case; money is a number with two decimals;
                    timestamps are ISO-8601 UTC. Errors are RFC 9457 problem details (application/problem+json) with
                    status, title and detail; validation errors add errors: {field: [messages]}. Bad input is always a
                    4xx, never a 500. Pagination: page (>= 1, default 1) and limit (1..100, default 20); out of range is
                    400. Authentication: Authorization: Bearer <JWT> with sub (the user) and permissions claims; a
                    missing, malformed, expired or foreign-signed token is 401, a missing permission 403, and another
                    user's order or address 404.
                    """,
            };
            document.Components ??= new OpenApiComponents();
            document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
            document.Components.SecuritySchemes[Bearer] = new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "JWT",
                Description = "A JWT whose sub claim is the user id and whose permissions claim lists the caller's permissions.",
            };
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            if (metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any())
            {
                operation.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Bearer, context.Document)] = [] }];
                operation.Responses ??= [];
                operation.Responses.TryAdd("401", new OpenApiResponse { Description = "Missing, malformed, expired or untrusted bearer token." });
                if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null))
                {
                    operation.Responses.TryAdd("403", new OpenApiResponse { Description = "The token lacks the permission this endpoint requires." });
                }
            }

            return Task.CompletedTask;
        });
    });

    /// <summary>The document always; the interactive reference (Scalar, at <c>/scalar</c>) in development.</summary>
    public static WebApplication MapShopOpenApi(this WebApplication app)
    {
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
