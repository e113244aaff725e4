using Microsoft.Extensions.Logging;
using Npgsql;

namespace Shop.Silo.Persistence;

/// <summary>
/// Applies Shop's versioned schema (the SQL files under <c>Persistence/Migrations</c>, embedded in this
/// assembly) to PostgreSQL: every migration not yet recorded in <c>shop_schema_migrations</c>, in order,
/// all in one transaction, under an advisory lock so that silos starting together migrate once.
/// Running it again changes nothing.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    // Any constant shared by every Shop process; it only has to differ from other applications' locks.
    private const long MigrationLock = 0x5_40_50_00_01;

    public static IReadOnlyList<(int Version, string Name, string Sql)> Migrations { get; } = LoadMigrations();

    /// <summary>Migrates, waiting up to <paramref name="patience"/> for PostgreSQL to accept connections.</summary>
    public async Task MigrateAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            try
            {
                await MigrateOnceAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && DateTime.UtcNow < deadline)
            {
                LogWaiting(logger, exception.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private async Task MigrateOnceAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})", cancellationToken);
        await ExecuteAsync(connection, """
            CREATE TABLE IF NOT EXISTS shop_schema_migrations
            (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """, cancellationToken);

        var applied = new HashSet<int>();
        await using (var read = new NpgsqlCommand("SELECT version FROM shop_schema_migrations", connection))
        await using (var reader = await read.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in Migrations.Where(m => !applied.Contains(m.Version)))
        {
            await ExecuteAsync(connection, sql, cancellationToken);
            await using var record = new NpgsqlCommand("INSERT INTO shop_schema_migrations (version, name) VALUES ($1, $2)", connection);
            record.Parameters.Add(new NpgsqlParameter { Value = version });
            record.Parameters.Add(new NpgsqlParameter { Value = name });
            await record.ExecuteNonQueryAsync(cancellationToken);
            LogApplied(logger, version, name);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static List<(int, string, string)> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        const string prefix = "Shop.Silo.Persistence.Migrations.";
        return [.. assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var name = n[prefix.Length..^".sql".Length];
                var version = int.Parse(name.Split('_')[0], System.Globalization.CultureInfo.InvariantCulture);
                using var stream = assembly.GetManifestResourceStream(n)!;
                using var reader = new StreamReader(stream);
                return (version, name, reader.ReadToEnd());
            })
            .OrderBy(m => m.version)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Version} ({Name})")]
    private static partial void LogApplied(ILogger logger, int version, string name);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Waiting for PostgreSQL to migrate the schema: {Reason}")]
    private static partial void LogWaiting(ILogger logger, string reason);
}
