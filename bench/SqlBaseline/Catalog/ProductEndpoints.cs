using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using NpgsqlTypes;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Catalog;

public sealed record CreateProductRequest(string? Sku, string? Name, decimal? Price, Dictionary<string, string>? Attributes, int? InitialStock);

public sealed record ProductResponse(long Id, string Sku, string Name, decimal Price, IReadOnlyDictionary<string, string> Attributes, int AvailableQuantity, DateTime CreatedAt);

public static class ProductEndpoints
{
    private const string Insert = """
        INSERT INTO products (sku, name, price, attributes, stock, created_at) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (sku) DO NOTHING
        RETURNING id
        """;

    public static IEndpointRouteBuilder MapProducts(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/products", Create).RequireAuthorization(Permissions.ProductsWrite);
        return app;
    }

    private static async Task<Results<Created<ProductResponse>, ValidationProblem, ProblemHttpResult>> Create(
        CreateProductRequest request, NpgsqlDataSource database, TimeProvider time, CancellationToken cancellation)
    {
        if (string.IsNullOrWhiteSpace(request.Sku) || request.Sku.Length > 64)
        {
            return Problems.Invalid("sku", "sku is required (at most 64 characters).");
        }

        if (string.IsNullOrWhiteSpace(request.Name) || request.Name.Length > 200)
        {
            return Problems.Invalid("name", "name is required (at most 200 characters).");
        }

        if (request.Price is not { } price || price < 0 || decimal.Round(price, 2) != price)
        {
            return Problems.Invalid("price", "price is required: at least 0, with at most two decimals.");
        }

        if (request.InitialStock is < 0)
        {
            return Problems.Invalid("initial_stock", "initial_stock must be at least 0.");
        }

        var sku = request.Sku.Trim().ToUpperInvariant();
        var attributes = new SortedDictionary<string, string>(request.Attributes ?? [], StringComparer.Ordinal);
        var createdAt = Truncated(time.GetUtcNow().UtcDateTime);
        var stock = request.InitialStock ?? 0;
        await using var command = database.CreateCommand(Insert);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = sku });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = request.Name.Trim() });
        command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = price });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = JsonSerializer.Serialize(attributes, Http.BaselineJsonContext.Default.SortedDictionaryStringString), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = stock });
        command.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = createdAt });
        if (await command.ExecuteScalarAsync(cancellation) is not long id)
        {
            return Problems.Conflict($"A product with SKU '{sku}' already exists.");
        }

        return TypedResults.Created($"/api/products/{id}", new ProductResponse(id, sku, request.Name.Trim(), price, attributes, stock, createdAt));
    }

    /// <summary>Timestamps are kept to the second, as the contract writes them.</summary>
    public static DateTime Truncated(DateTime utc) => new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
}
