using System.Data;
using System.Globalization;
using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using Shop.SqlBaseline.Catalog;
using Shop.SqlBaseline.Customers;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Checkout;

public sealed record CheckoutCommand(string UserId, long ShippingAddressId, long BillingAddressId, string? Notes, string PaymentMethod, string? IdempotencyKey)
{
    /// <summary>What makes two requests under one Idempotency-Key "the same request" (the cart is consumed by the first).</summary>
    public string Digest => string.Create(CultureInfo.InvariantCulture, $"{ShippingAddressId}|{BillingAddressId}|{PaymentMethod}|{Notes}");
}

/// <summary>
/// The checkout as one PostgreSQL transaction (READ COMMITTED), in three round trips and a commit:
/// read the cart (its rows locked against a concurrent checkout of the same user) with the products
/// and the addresses; then, in one batch, a conditional <c>UPDATE ... WHERE stock >= qty</c> per line
/// in product-id order (rows are always locked in the same order: no deadlocks; the condition is
/// re-checked on the latest row version: no oversell), the order with its items (snapshots of name,
/// SKU, price, attributes and addresses) and the deletion of the cart rows; then commit. The hot row
/// stays locked only from its UPDATE to the commit. A cart that the read already shows short is
/// rejected without touching the product rows.
/// </summary>
public sealed class CheckoutTransaction(NpgsqlDataSource database, TimeProvider time)
{
    private const string ReadCart = """
        SELECT c.product_id, c.quantity, p.sku, p.name, p.price, p.attributes::text, p.stock
        FROM cart_items c JOIN products p ON p.id = c.product_id
        WHERE c.user_id = $1
        ORDER BY c.product_id
        FOR UPDATE OF c
        """;

    private const string ReadAddresses = """
        SELECT id, full_name, line1, line2, city, postal_code, country, phone, created_at
        FROM addresses WHERE user_id = $1 AND id = ANY($2)
        """;

    private const string TakeStock = "UPDATE products SET stock = stock - $2 WHERE id = $1 AND stock >= $2 RETURNING stock";

    private const string InsertOrder = """
        WITH n AS (SELECT nextval('orders_id_seq') AS id),
        o AS (
            INSERT INTO orders (id, order_number, user_id, status, payment_status, payment_method, subtotal, tax_amount, shipping_amount,
                                discount_amount, total_amount, shipping_address, billing_address, notes, idempotency_key, request_digest,
                                created_at, updated_at)
            SELECT n.id, $1 || lpad(upper(to_hex(n.id)), 8, '0'), $2, 'pending', 'pending', $3, $4, 0, 0, 0, $4, $5, $6, $7, $8, $9, $10, $10
            FROM n
            RETURNING id, order_number
        ),
        i AS (
            INSERT INTO order_items (order_id, line, product_id, sku, product_name, attributes, quantity, unit_price, total_price)
            SELECT o.id, l.line, l.product_id, l.sku, l.name, l.attributes::jsonb, l.quantity, l.unit_price, l.quantity * l.unit_price
            FROM o, unnest($11::bigint[], $12::text[], $13::text[], $14::text[], $15::integer[], $16::numeric[])
                WITH ORDINALITY AS l(product_id, sku, name, attributes, quantity, unit_price, line)
        )
        SELECT id, order_number FROM o
        """;

    private const string DeleteCart = "DELETE FROM cart_items WHERE user_id = $1";

    private const string ReadStock = "SELECT stock FROM products WHERE id = $1";

    private const string ReadOrder = """
        SELECT id, order_number, status, payment_status, payment_method, subtotal, tax_amount, shipping_amount, discount_amount,
               total_amount, shipping_address::text, billing_address::text, notes, request_digest, created_at, updated_at
        FROM orders WHERE user_id = $1 AND idempotency_key = $2
        """;

    private const string ReadOrderItems = """
        SELECT i.line, i.product_id, i.sku, i.product_name, i.attributes::text, i.quantity, i.unit_price, i.total_price
        FROM order_items i JOIN orders o ON o.id = i.order_id
        WHERE o.user_id = $1 AND o.idempotency_key = $2
        ORDER BY i.line
        """;

    public async Task<CheckoutOutcome> RunAsync(CheckoutCommand command, CancellationToken cancellation)
    {
        await using var connection = await database.OpenConnectionAsync(cancellation);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellation);
        var (lines, addresses) = await ReadAsync(connection, command, cancellation);
        if (lines.Count == 0)
        {
            await transaction.RollbackAsync(cancellation);
            return await ReplayAsync(connection, command, cancellation)
                ?? new CheckoutOutcome.Rejected(StatusCodes.Status400BadRequest, "Cart is empty. Add items before checkout.");
        }

        if (!addresses.TryGetValue(command.ShippingAddressId, out var shipping) || !addresses.TryGetValue(command.BillingAddressId, out var billing))
        {
            var missing = addresses.ContainsKey(command.ShippingAddressId) ? command.BillingAddressId : command.ShippingAddressId;
            return new CheckoutOutcome.Rejected(StatusCodes.Status404NotFound, $"Address {missing} not found.");
        }

        if (lines.FirstOrDefault(l => l.Stock < l.Quantity) is { } visiblyShort)
        {
            return Insufficient(visiblyShort, visiblyShort.Stock);
        }

        var now = ProductEndpoints.Truncated(time.GetUtcNow().UtcDateTime);
        try
        {
            var (shortLine, id, orderNumber) = await WriteAsync(connection, command, lines, shipping, billing, now, cancellation);
            if (shortLine is not null)
            {
                await transaction.RollbackAsync(cancellation);
                return Insufficient(shortLine, await StockAsync(connection, shortLine.ProductId, cancellation));
            }

            await transaction.CommitAsync(cancellation);
            return new CheckoutOutcome.Placed(Order(id, orderNumber, command, lines, shipping, billing, now));
        }
        catch (PostgresException e) when (e is { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: "orders_idempotency" })
        {
            await transaction.RollbackAsync(cancellation);
            return await ReplayAsync(connection, command, cancellation)
                ?? throw new InvalidOperationException("An order with this Idempotency-Key exists but could not be read.", e);
        }
    }

    private static async Task<(List<CartLine> Lines, Dictionary<long, AddressResponse> Addresses)> ReadAsync(
        NpgsqlConnection connection, CheckoutCommand command, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(ReadCart) { Parameters = { Text(command.UserId) } },
                new NpgsqlBatchCommand(ReadAddresses)
                {
                    Parameters = { Text(command.UserId), new NpgsqlParameter<long[]> { TypedValue = [command.ShippingAddressId, command.BillingAddressId] } },
                },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        var lines = new List<CartLine>();
        while (await reader.ReadAsync(cancellation))
        {
            lines.Add(new CartLine(reader.GetInt64(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), reader.GetDecimal(4), reader.GetString(5), reader.GetInt32(6)));
        }

        await reader.NextResultAsync(cancellation);
        var addresses = new Dictionary<long, AddressResponse>();
        while (await reader.ReadAsync(cancellation))
        {
            var address = new AddressResponse(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), NullableText(reader, 3), reader.GetString(4),
                reader.GetString(5), reader.GetString(6), NullableText(reader, 7), reader.GetDateTime(8));
            addresses[address.Id] = address;
        }

        return (lines, addresses);
    }

    /// <summary>The stock updates, the order and the cart deletion in one round trip; the first line the stock could not cover, if any.</summary>
    private static async Task<(CartLine? ShortLine, long Id, string OrderNumber)> WriteAsync(
        NpgsqlConnection connection, CheckoutCommand command, List<CartLine> lines, AddressResponse shipping, AddressResponse billing,
        DateTime now, CancellationToken cancellation)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var line in lines)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand(TakeStock)
            {
                Parameters = { new NpgsqlParameter<long> { TypedValue = line.ProductId }, new NpgsqlParameter<int> { TypedValue = line.Quantity } },
            });
        }

        var subtotal = lines.Sum(l => l.Quantity * l.UnitPrice);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(InsertOrder)
        {
            Parameters =
            {
                Text(string.Create(CultureInfo.InvariantCulture, $"ORD-{now:yyyyMMdd}-")),
                Text(command.UserId),
                Text(command.PaymentMethod),
                new NpgsqlParameter<decimal> { TypedValue = subtotal },
                Json(JsonSerializer.Serialize(shipping, BaselineJsonContext.Default.AddressResponse)),
                Json(JsonSerializer.Serialize(billing, BaselineJsonContext.Default.AddressResponse)),
                new NpgsqlParameter { Value = (object?)command.Notes ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                new NpgsqlParameter { Value = (object?)command.IdempotencyKey ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text },
                Text(command.Digest),
                new NpgsqlParameter<DateTime> { TypedValue = now },
                new NpgsqlParameter<long[]> { TypedValue = [.. lines.Select(l => l.ProductId)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Sku)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Name)] },
                new NpgsqlParameter<string[]> { TypedValue = [.. lines.Select(l => l.Attributes)] },
                new NpgsqlParameter<int[]> { TypedValue = [.. lines.Select(l => l.Quantity)] },
                new NpgsqlParameter<decimal[]> { TypedValue = [.. lines.Select(l => l.UnitPrice)] },
            },
        });
        batch.BatchCommands.Add(new NpgsqlBatchCommand(DeleteCart) { Parameters = { Text(command.UserId) } });

        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        CartLine? shortLine = null;
        foreach (var line in lines)
        {
            if (!await reader.ReadAsync(cancellation))
            {
                shortLine ??= line;
            }

            await reader.NextResultAsync(cancellation);
        }

        await reader.ReadAsync(cancellation);
        return (shortLine, reader.GetInt64(0), reader.GetString(1));
    }

    private static async Task<int> StockAsync(NpgsqlConnection connection, long productId, CancellationToken cancellation)
    {
        await using var command = new NpgsqlCommand(ReadStock, connection) { Parameters = { new NpgsqlParameter<long> { TypedValue = productId } } };
        return (int)(await command.ExecuteScalarAsync(cancellation))!;
    }

    /// <summary>The order an earlier request with this Idempotency-Key placed (200), a 409 if that request differed, or null.</summary>
    private static async Task<CheckoutOutcome?> ReplayAsync(NpgsqlConnection connection, CheckoutCommand command, CancellationToken cancellation)
    {
        if (command.IdempotencyKey is null)
        {
            return null;
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                new NpgsqlBatchCommand(ReadOrder) { Parameters = { Text(command.UserId), Text(command.IdempotencyKey) } },
                new NpgsqlBatchCommand(ReadOrderItems) { Parameters = { Text(command.UserId), Text(command.IdempotencyKey) } },
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellation);
        if (!await reader.ReadAsync(cancellation))
        {
            return null;
        }

        if (reader.GetString(13) != command.Digest)
        {
            return new CheckoutOutcome.Rejected(StatusCodes.Status409Conflict, "Idempotency-Key was already used with different request parameters.");
        }

        var order = new OrderResponse(
            reader.GetInt64(0), reader.GetString(1), command.UserId, reader.GetString(2), reader.GetString(3), reader.GetString(4),
            reader.GetDecimal(5), reader.GetDecimal(6), reader.GetDecimal(7), reader.GetDecimal(8), reader.GetDecimal(9),
            JsonSerializer.Deserialize(reader.GetString(10), BaselineJsonContext.Default.AddressResponse)!,
            JsonSerializer.Deserialize(reader.GetString(11), BaselineJsonContext.Default.AddressResponse)!,
            NullableText(reader, 12), [], 0, reader.GetDateTime(14), reader.GetDateTime(15), null, null);
        await reader.NextResultAsync(cancellation);
        var items = new List<OrderItemResponse>();
        while (await reader.ReadAsync(cancellation))
        {
            items.Add(new OrderItemResponse(reader.GetInt32(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3),
                Attributes(reader.GetString(4)), reader.GetInt32(5), reader.GetDecimal(6), reader.GetDecimal(7)));
        }

        return new CheckoutOutcome.Replayed(order with { Items = items, TotalItems = items.Sum(i => i.Quantity) });
    }

    private static OrderResponse Order(
        long id, string orderNumber, CheckoutCommand command, List<CartLine> lines, AddressResponse shipping, AddressResponse billing, DateTime now)
    {
        var items = lines.Select((l, i) => new OrderItemResponse(i + 1, l.ProductId, l.Sku, l.Name, Attributes(l.Attributes), l.Quantity, l.UnitPrice, l.Quantity * l.UnitPrice)).ToList();
        var subtotal = items.Sum(i => i.TotalPrice);
        return new OrderResponse(id, orderNumber, command.UserId, "pending", "pending", command.PaymentMethod, subtotal, 0, 0, 0, subtotal,
            shipping, billing, command.Notes, items, items.Sum(i => i.Quantity), now, now, null, null);
    }

    private static CheckoutOutcome.Rejected Insufficient(CartLine line, int available) => new(
        StatusCodes.Status409Conflict,
        string.Create(CultureInfo.InvariantCulture, $"Insufficient stock for '{line.Name}'. Available: {available}, Requested: {line.Quantity}"));

    /// <summary>Attributes in name order, so the same product always reads the same (jsonb orders keys by length).</summary>
    private static SortedDictionary<string, string> Attributes(string json) =>
        JsonSerializer.Deserialize(json, BaselineJsonContext.Default.SortedDictionaryStringString) ?? new(StringComparer.Ordinal);

    private static string? NullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    private static NpgsqlParameter<string> Text(string value) => new() { TypedValue = value };

    private static NpgsqlParameter<string> Json(string value) => new() { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Jsonb };

    private sealed record CartLine(long ProductId, int Quantity, string Sku, string Name, decimal UnitPrice, string Attributes, int Stock);
}
