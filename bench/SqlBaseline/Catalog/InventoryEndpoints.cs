using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Catalog;

/// <summary>An inventory record; its <c>id</c> is the product id. Stock is taken at checkout, so nothing is ever reserved.</summary>
public sealed record InventoryResponse(long Id, long ProductId, int StockQuantity, int ReservedQuantity, int AvailableQuantity);

public static class InventoryEndpoints
{
    public static IEndpointRouteBuilder MapInventory(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/inventory/{product_id}", Get).RequireAuthorization(Permissions.InventoryRead);
        return app;
    }

    private static async Task<Results<Ok<InventoryResponse>, ProblemHttpResult>> Get(
        [FromRoute(Name = "product_id")] long productId, NpgsqlDataSource database, CancellationToken cancellation)
    {
        await using var command = database.CreateCommand("SELECT stock FROM products WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = productId });
        return await command.ExecuteScalarAsync(cancellation) is int stock
            ? TypedResults.Ok(new InventoryResponse(productId, productId, stock, 0, stock))
            : Problems.NotFound($"Product {productId} not found.");
    }
}
