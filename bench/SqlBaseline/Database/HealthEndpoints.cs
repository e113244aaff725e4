using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;

namespace Shop.SqlBaseline.Database;

public sealed record HealthResponse(string Status);

public static class HealthEndpoints
{
    /// <summary><c>/health/ready</c>: 200 when the database answers, else 503.</summary>
    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/ready", Ready).AllowAnonymous();
        return app;
    }

    private static async Task<Results<Ok<HealthResponse>, JsonHttpResult<HealthResponse>>> Ready(NpgsqlDataSource database, CancellationToken cancellation)
    {
        try
        {
            await using var command = database.CreateCommand("SELECT 1");
            await command.ExecuteScalarAsync(cancellation);
            return TypedResults.Ok(new HealthResponse("healthy"));
        }
        catch (NpgsqlException)
        {
            return TypedResults.Json(new HealthResponse("unhealthy"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
