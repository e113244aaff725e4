using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Silo.Persistence;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class SchemaMigrationTests(DurableServers servers)
{
    [Fact]
    public async Task MigratingIsIdempotentAndSilosStartingTogetherMigrateOnce()
    {
        var connectionString = servers.Postgres.ConnectionString(await servers.Postgres.CreateDatabaseAsync());
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);

        // Three at once, as silos starting together would, then once more.
        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => migrator.MigrateAsync(TimeSpan.FromSeconds(30), CancellationToken.None)));
        await migrator.MigrateAsync(TimeSpan.FromSeconds(30), CancellationToken.None);

        Assert.Equal(SchemaMigrator.Migrations.Select(m => m.Version), await ColumnAsync<int>(dataSource, "SELECT version FROM shop_schema_migrations ORDER BY version"));
        Assert.Equal(
            ["ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey"],
            await ColumnAsync<string>(dataSource, "SELECT querykey FROM orleansquery ORDER BY querykey"));
        Assert.Equal(5, (await ColumnAsync<string>(dataSource, "SELECT status FROM shop_order_totals")).Count);
        // Large transactional records (an order batch's orders) are compressed with lz4, not pglz (migration 5).
        Assert.Equal(
            ["l"],
            await ColumnAsync<string>(dataSource, "SELECT attcompression::text FROM pg_attribute WHERE attrelid = 'shop_transactional_state'::regclass AND attname = 'record'"));
    }

    private static async Task<List<T>> ColumnAsync<T>(NpgsqlDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<T>();
        while (await reader.ReadAsync())
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}
