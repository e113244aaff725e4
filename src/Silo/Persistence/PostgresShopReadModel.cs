using System.Collections.Immutable;
using System.Text;
using Npgsql;
using NpgsqlTypes;
using Shop.Grains;

namespace Shop.Silo.Persistence;

/// <summary>
/// The read model in PostgreSQL (tables of migration 0002). Each projection is one database
/// transaction: order summaries are upserted when newer (by version) together with the running totals
/// per status, and audit entries are inserted once per event id together with their counts.
/// </summary>
public sealed class PostgresShopReadModel(NpgsqlDataSource dataSource) : IShopReadModel
{
    // Projections from different lanes may carry versions of the same order; one at a time keeps the
    // running totals exact. Each projection is one short statement per kind, so this is no bottleneck.
    private const long ProjectionLock = 0x5_40_50_00_02;

    public async Task ApplyAsync(IReadOnlyList<OutboxBatch> batches, CancellationToken cancellationToken = default)
    {
        var orders = batches.SelectMany(b => b.Orders).GroupBy(o => o.Id).Select(g => g.MaxBy(o => o.Version)!).ToList();
        var audit = batches.SelectMany(b => b.Audit).DistinctBy(a => a.EventId).OrderBy(a => a.CreatedAt).ToList();
        if (orders.Count == 0 && audit.Count == 0)
        {
            return;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ProjectionLock})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }

        if (orders.Count > 0)
        {
            await using var command = new NpgsqlCommand(UpsertOrders, connection, transaction);
            command.Parameters.Add(ArrayOf("ids", NpgsqlDbType.Bigint, orders.Select(o => o.Id)));
            command.Parameters.Add(ArrayOf("numbers", NpgsqlDbType.Text, orders.Select(o => o.OrderNumber)));
            command.Parameters.Add(ArrayOf("users", NpgsqlDbType.Text, orders.Select(o => o.UserId)));
            command.Parameters.Add(ArrayOf("statuses", NpgsqlDbType.Text, orders.Select(o => WireNames.Of(o.Status))));
            command.Parameters.Add(ArrayOf("payments", NpgsqlDbType.Text, orders.Select(o => WireNames.Of(o.PaymentStatus))));
            command.Parameters.Add(ArrayOf("totals", NpgsqlDbType.Numeric, orders.Select(o => o.TotalAmount)));
            command.Parameters.Add(ArrayOf("items", NpgsqlDbType.Integer, orders.Select(o => o.TotalItems)));
            command.Parameters.Add(ArrayOf("created", NpgsqlDbType.TimestampTz, orders.Select(o => o.CreatedAt)));
            command.Parameters.Add(ArrayOf("updated", NpgsqlDbType.TimestampTz, orders.Select(o => o.UpdatedAt)));
            command.Parameters.Add(ArrayOf("versions", NpgsqlDbType.Integer, orders.Select(o => o.Version)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        if (audit.Count > 0)
        {
            await using var command = new NpgsqlCommand(InsertAudit, connection, transaction);
            command.Parameters.Add(ArrayOf("events", NpgsqlDbType.Uuid, audit.Select(a => a.EventId)));
            command.Parameters.Add(ArrayOf("actions", NpgsqlDbType.Text, audit.Select(a => a.Action)));
            command.Parameters.Add(ArrayOf("types", NpgsqlDbType.Text, audit.Select(a => a.EntityType)));
            command.Parameters.Add(ArrayOf("entities", NpgsqlDbType.Bigint, audit.Select(a => a.EntityId)));
            command.Parameters.Add(ArrayOf("details", NpgsqlDbType.Text, audit.Select(a => a.Details)));
            command.Parameters.Add(ArrayOf("users", NpgsqlDbType.Text, audit.Select(a => a.UserId)));
            command.Parameters.Add(ArrayOf("created", NpgsqlDbType.TimestampTz, audit.Select(a => a.CreatedAt)));
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<Page<OrderSummary>> ListOrdersAsync(OrderQuery query, CancellationToken cancellationToken = default)
    {
        var where = new StringBuilder("TRUE");
        var parameters = new List<NpgsqlParameter>();
        if (query.Status is { } status)
        {
            where.Append(" AND status = @status");
            parameters.Add(new NpgsqlParameter("status", WireNames.Of(status)));
        }

        if (query.UserId is { } userId)
        {
            where.Append(" AND user_id = @user");
            parameters.Add(new NpgsqlParameter("user", userId));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        // Without a user filter the total comes from the running totals, not from counting the table.
        var countSql = query.UserId is not null
            ? $"SELECT count(*) FROM shop_orders WHERE {where}"
            : query.Status is not null
                ? "SELECT coalesce(sum(orders), 0) FROM shop_order_totals WHERE status = @status"
                : "SELECT coalesce(sum(orders), 0) FROM shop_order_totals";
        var total = await ScalarAsync<long>(connection, countSql, parameters, cancellationToken);

        var items = new List<OrderSummary>();
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT id, order_number, user_id, status, payment_status, total_amount, total_items, created_at, updated_at, version
            FROM shop_orders WHERE {where}
            ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset
            """, connection))
        {
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(new NpgsqlParameter("limit", query.Page.Limit));
            command.Parameters.Add(new NpgsqlParameter("offset", (long)query.Page.Skip));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new OrderSummary(
                    reader.GetInt64(0), reader.GetString(1), reader.GetString(2),
                    Parse<OrderStatus>(reader.GetString(3)), Parse<PaymentStatus>(reader.GetString(4)),
                    reader.GetDecimal(5), reader.GetInt32(6), reader.GetDateTime(7), reader.GetDateTime(8), reader.GetInt32(9)));
            }
        }

        return new Page<OrderSummary>(items, total, query.Page.Page, query.Page.Limit);
    }

    public async Task<OrderStatistics> GetStatisticsAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT status, orders, revenue, units FROM shop_order_totals", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var byStatus = ImmutableDictionary.CreateBuilder<OrderStatus, long>();
        decimal revenue = 0;
        long units = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            byStatus[Parse<OrderStatus>(reader.GetString(0))] = reader.GetInt64(1);
            revenue += reader.GetDecimal(2);
            units += reader.GetInt64(3);
        }

        return OrderStatisticsBuilder.From(byStatus.ToImmutable(), revenue, units);
    }

    public async Task<Page<AuditEntry>> ListAuditAsync(AuditQuery query, CancellationToken cancellationToken = default)
    {
        var where = new StringBuilder("TRUE");
        var parameters = new List<NpgsqlParameter>();
        if (query.EntityType is { } entityType)
        {
            where.Append(" AND entity_type = @type");
            parameters.Add(new NpgsqlParameter("type", entityType));
        }

        if (query.EntityId is { } entityId)
        {
            where.Append(" AND entity_id = @entity");
            parameters.Add(new NpgsqlParameter("entity", entityId));
        }

        if (query.Action is { } action)
        {
            where.Append(" AND action = @action");
            parameters.Add(new NpgsqlParameter("action", action));
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var countSql = query.EntityId is not null
            ? $"SELECT count(*) FROM shop_audit WHERE {where}"
            : $"SELECT coalesce(sum(entries), 0) FROM shop_audit_totals WHERE {where}";
        var total = await ScalarAsync<long>(connection, countSql, parameters, cancellationToken);

        var items = new List<AuditEntry>();
        await using (var command = new NpgsqlCommand(
            $"""
            SELECT id, action, entity_type, entity_id, details, user_id, created_at
            FROM shop_audit WHERE {where}
            ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset
            """, connection))
        {
            command.Parameters.AddRange(parameters.Select(p => p.Clone()).ToArray());
            command.Parameters.Add(new NpgsqlParameter("limit", query.Page.Limit));
            command.Parameters.Add(new NpgsqlParameter("offset", (long)query.Page.Skip));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                items.Add(new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetString(4), reader.GetString(5), reader.GetDateTime(6)));
            }
        }

        return new Page<AuditEntry>(items, total, query.Page.Page, query.Page.Limit);
    }

    private const string UpsertOrders = """
        WITH incoming AS (
            SELECT * FROM unnest(@ids, @numbers, @users, @statuses, @payments, @totals, @items, @created, @updated, @versions)
                AS t(id, order_number, user_id, status, payment_status, total_amount, total_items, created_at, updated_at, version)),
        previous AS (
            -- One index lookup per incoming order (LIMIT keeps the subquery from being flattened into a
            -- join, which the planner hashed over the whole table: a cost growing with every order sold).
            SELECT p.id, p.status, p.total_amount, p.total_items
            FROM incoming i CROSS JOIN LATERAL (
                SELECT o.id, o.status, o.total_amount, o.total_items
                FROM shop_orders o WHERE o.id = i.id AND o.version < i.version LIMIT 1) p),
        written AS (
            INSERT INTO shop_orders AS o (id, order_number, user_id, status, payment_status, total_amount, total_items, created_at, updated_at, version)
            SELECT * FROM incoming
            ON CONFLICT (id) DO UPDATE SET
                status = excluded.status, payment_status = excluded.payment_status, total_amount = excluded.total_amount,
                total_items = excluded.total_items, updated_at = excluded.updated_at, version = excluded.version
            WHERE o.version < excluded.version
            RETURNING o.id, o.status, o.total_amount, o.total_items),
        changes AS (
            SELECT status, 1 AS orders, total_amount AS revenue, total_items AS units FROM written
            UNION ALL
            SELECT p.status, -1, -p.total_amount, -p.total_items FROM previous p JOIN written w ON w.id = p.id)
        UPDATE shop_order_totals t
        SET orders = t.orders + c.orders, revenue = t.revenue + c.revenue, units = t.units + c.units
        FROM (
            SELECT status, sum(orders) AS orders,
                   sum(CASE WHEN status <> 'cancelled' THEN revenue ELSE 0 END) AS revenue,
                   sum(CASE WHEN status <> 'cancelled' THEN units ELSE 0 END) AS units
            FROM changes GROUP BY status) c
        WHERE t.status = c.status
        """;

    private const string InsertAudit = """
        WITH incoming AS (
            SELECT * FROM unnest(@events, @actions, @types, @entities, @details, @users, @created)
                AS t(event_id, action, entity_type, entity_id, details, user_id, created_at)),
        inserted AS (
            INSERT INTO shop_audit (event_id, action, entity_type, entity_id, details, user_id, created_at)
            SELECT * FROM incoming ORDER BY created_at
            ON CONFLICT (event_id) DO NOTHING
            RETURNING entity_type, action)
        INSERT INTO shop_audit_totals AS t (entity_type, action, entries)
        SELECT entity_type, action, count(*) FROM inserted GROUP BY entity_type, action
        ON CONFLICT (entity_type, action) DO UPDATE SET entries = t.entries + excluded.entries
        """;

    private static NpgsqlParameter ArrayOf<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, List<NpgsqlParameter> parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters.Where(p => sql.Contains("@" + p.ParameterName, StringComparison.Ordinal)).Select(p => p.Clone()).ToArray());
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync(cancellationToken))!, typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static TEnum Parse<TEnum>(string text) where TEnum : struct, Enum =>
        WireNames.TryParse<TEnum>(text, out var value) ? value : throw new InvalidDataException($"Unknown {typeof(TEnum).Name} '{text}' in the read model.");
}
