using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Shop.Api.Health;

public sealed record HealthCheckResponse(string Name, string Status, string? Description);

public sealed record HealthResponse(string Status, IReadOnlyList<HealthCheckResponse> Checks);

public static class HealthEndpoints
{
    public const string ReadyTag = "ready";

    public static IServiceCollection AddShopHealthChecks(this IServiceCollection services)
    {
        services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ReadyTag]);
        return services;
    }

    /// <summary><c>/health/live</c>: the process answers. <c>/health/ready</c>: the cluster and its storage answer too (else 503).</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/health").WithTags("Health").AllowAnonymous();
        group.MapGet("/live", (HealthCheckService health, CancellationToken cancellation) => Report(health, _ => false, cancellation))
            .WithSummary("Liveness").WithDescription("200 while the process runs.");
        group.MapGet("/ready", (HealthCheckService health, CancellationToken cancellation) => Report(health, c => c.Tags.Contains(ReadyTag), cancellation))
            .WithSummary("Readiness").WithDescription("200 when a silo answers and its storage does; 503 otherwise.");
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Report(
        HealthCheckService health, Func<HealthCheckRegistration, bool> predicate, CancellationToken cancellation)
    {
        var report = await health.CheckHealthAsync(predicate, cancellation);
        var response = new HealthResponse(
            Name(report.Status),
            [.. report.Entries.Select(e => new HealthCheckResponse(e.Key, Name(e.Value.Status), e.Value.Description))]);
        return report.Status == HealthStatus.Healthy
            ? TypedResults.Ok(response)
            : TypedResults.Json(response, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static string Name(HealthStatus status) => status.ToString().ToLowerInvariant();
}
