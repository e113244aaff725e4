using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Npgsql;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Customers;

public sealed record AddCartItemRequest(long? ProductId, int? Quantity);

public sealed record CartItemResponse(long ProductId, string ProductName, int Quantity, decimal UnitPrice, decimal TotalPrice);

public sealed record CartResponse(IReadOnlyList<CartItemResponse> Items, int TotalItems, decimal Subtotal);

public static class CartEndpoints
{
    private const string Add = """
        INSERT INTO cart_items (user_id, product_id, quantity) VALUES ($1, $2, $3)
        ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = cart_items.quantity + excluded.quantity
        """;

    private const string Read = """
        SELECT c.product_id, p.name, c.quantity, p.price
        FROM cart_items c JOIN products p ON p.id = c.product_id
        WHERE c.user_id = $1
        ORDER BY c.product_id
        """;

    public static IEndpointRouteBuilder MapCart(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/cart/items", AddItem).RequireAuthorization();
        return app;
    }

    private static async Task<Results<Ok<CartResponse>, ValidationProblem, ProblemHttpResult>> AddItem(
        AddCartItemRequest request, ClaimsPrincipal user, NpgsqlDataSource database, CancellationToken cancellation)
    {
        if (request.ProductId is not { } productId)
        {
            return Problems.Invalid("product_id", "product_id is required.");
        }

        if (request.Quantity is not { } quantity || quantity is < 1 or > 1000)
        {
            return Problems.Invalid("quantity", "quantity must be between 1 and 1000.");
        }

        var userId = user.UserId();
        await using var batch = database.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Add)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = userId }, new NpgsqlParameter<long> { TypedValue = productId }, new NpgsqlParameter<int> { TypedValue = quantity } },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(Read) { Parameters = { new NpgsqlParameter<string> { TypedValue = userId } } });
        try
        {
            // The upsert returns no rows, so the reader starts on the cart.
            await using var reader = await batch.ExecuteReaderAsync(cancellation);
            var items = new List<CartItemResponse>();
            while (await reader.ReadAsync(cancellation))
            {
                var (unitPrice, count) = (reader.GetDecimal(3), reader.GetInt32(2));
                items.Add(new CartItemResponse(reader.GetInt64(0), reader.GetString(1), count, unitPrice, unitPrice * count));
            }

            return TypedResults.Ok(new CartResponse(items, items.Sum(i => i.Quantity), items.Sum(i => i.TotalPrice)));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.ForeignKeyViolation)
        {
            return Problems.NotFound($"Product {productId} not found.");
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CheckViolation)
        {
            return Problems.Invalid("quantity", "A cart line holds at most 1000 units.");
        }
    }
}
