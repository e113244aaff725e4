using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Serialization;
using Orleans.Transactions;
using Orleans.Transactions.Abstractions;
using Shop.Grains;
using Shop.Silo.Persistence;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class TransactionalStateStorageTests(DurableServers servers)
{
    /// <summary>
    /// A read-only transaction stores only its timestamp at every participant. The row keeps the record
    /// its last commit wrote (it is not rewritten for a read), and a grain loading it afterwards gets that
    /// committed state with the newer timestamp; a commit after that writes the whole record again.
    /// </summary>
    [Fact]
    public async Task AStoreOfOnlyATimestampKeepsTheCommittedStateAndLoadsWithTheTimestamp()
    {
        await using var database = await StorageDatabase.CreateAsync(servers);
        PostgresTransactionalStateStorage<InventoryState> Open() => database.Open("inventory/7");
        async Task<(byte[] Record, bool HasMetadata)> RowAsync()
        {
            await using var command = database.DataSource.CreateCommand("SELECT record, metadata IS NOT NULL FROM shop_transactional_state WHERE grain_id = 'inventory/7'");
            await using var reader = await command.ExecuteReaderAsync();
            Assert.True(await reader.ReadAsync());
            return ((byte[])reader.GetValue(0), reader.GetBoolean(1));
        }

        var start = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var storage = Open();
        var etag = await storage.Store((await storage.Load()).ETag, new TransactionalStateMetaData { TimeStamp = start }, [Prepared(1, start, stock: 42)], commitUpTo: 1, abortAfter: null);
        var committed = await RowAsync();

        var read = start.AddSeconds(1);
        etag = await storage.Store(etag, new TransactionalStateMetaData { TimeStamp = read }, statesToPrepare: [], commitUpTo: null, abortAfter: null);

        var afterRead = await RowAsync();
        Assert.False(committed.HasMetadata);
        Assert.Equal(committed.Record, afterRead.Record);
        Assert.True(afterRead.HasMetadata);
        var loaded = await Open().Load();
        Assert.Equal((etag, 42, 1L, read), (loaded.ETag, loaded.CommittedState.Stock, loaded.CommittedSequenceId, loaded.Metadata.TimeStamp));

        var reopened = Open();
        var later = start.AddSeconds(2);
        etag = await reopened.Store((await reopened.Load()).ETag, new TransactionalStateMetaData { TimeStamp = later }, [Prepared(2, later, stock: 40)], commitUpTo: 2, abortAfter: null);

        Assert.False((await RowAsync()).HasMetadata);
        var last = await Open().Load();
        Assert.Equal((etag, 40, 2L, later), (last.ETag, last.CommittedState.Stock, last.CommittedSequenceId, last.Metadata.TimeStamp));
    }

    /// <summary>
    /// Reading a grain that never stored anything (an order id nobody was sold, read by a customer or a
    /// scanner) leaves no row behind; the read's timestamp goes into the row of the grain's first write.
    /// </summary>
    [Fact]
    public async Task AReadOfAGrainWithoutStateStoresNothingUntilItsFirstWrite()
    {
        await using var database = await StorageDatabase.CreateAsync(servers);
        PostgresTransactionalStateStorage<InventoryState> Open() => database.Open("inventory/8");
        async Task<long> RowsAsync()
        {
            await using var command = database.DataSource.CreateCommand("SELECT count(*) FROM shop_transactional_state WHERE grain_id = 'inventory/8'");
            return (long)(await command.ExecuteScalarAsync())!;
        }

        var start = new DateTime(2026, 12, 1, 12, 0, 0, DateTimeKind.Utc);
        var storage = Open();
        var etag = await storage.Store((await storage.Load()).ETag, new TransactionalStateMetaData { TimeStamp = start }, statesToPrepare: [], commitUpTo: null, abortAfter: null);
        etag = await storage.Store(etag, new TransactionalStateMetaData { TimeStamp = start.AddSeconds(1) }, statesToPrepare: [], commitUpTo: null, abortAfter: null);

        Assert.Equal(0, await RowsAsync());
        Assert.Null((await Open().Load()).ETag);

        var written = start.AddSeconds(2);
        etag = await storage.Store(etag, new TransactionalStateMetaData { TimeStamp = written }, [Prepared(1, written, stock: 5)], commitUpTo: 1, abortAfter: null);

        Assert.Equal(1, await RowsAsync());
        var loaded = await Open().Load();
        Assert.Equal((etag, 5, 1L, written), (loaded.ETag, loaded.CommittedState.Stock, loaded.CommittedSequenceId, loaded.Metadata.TimeStamp));
    }

    /// <summary>A fresh, migrated database with a state batcher over it, and inventory grains' storage on it.</summary>
    private sealed class StorageDatabase(NpgsqlDataSource dataSource, StateBatcher batcher, IHost host) : IAsyncDisposable
    {
        public NpgsqlDataSource DataSource => dataSource;

        public static async Task<StorageDatabase> CreateAsync(DurableServers servers)
        {
            var dataSource = NpgsqlDataSource.Create(servers.Postgres.ConnectionString(await servers.Postgres.CreateDatabaseAsync()));
            await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
            // An Orleans client's services (never started): the serializer with the runtime's codecs, as a silo has it.
            var host = new HostBuilder().UseOrleansClient(client => client.UseLocalhostClustering()).Build();
            return new StorageDatabase(dataSource, new StateBatcher(dataSource, "service", concurrency: 2, NullLogger<StateBatcher>.Instance), host);
        }

        public PostgresTransactionalStateStorage<InventoryState> Open(string grainId) => new(
            "inventory", grainId, batcher,
            host.Services.GetRequiredService<Serializer<TransactionalStateRecord<InventoryState>>>(),
            host.Services.GetRequiredService<Serializer<TransactionalStateMetaData>>());

        public async ValueTask DisposeAsync()
        {
            await batcher.DisposeAsync();
            host.Dispose();
            await dataSource.DisposeAsync();
        }
    }

    private static PendingTransactionState<InventoryState> Prepared(long sequence, DateTime timestamp, int stock) => new()
    {
        SequenceId = sequence,
        TransactionId = Guid.NewGuid().ToString(),
        TimeStamp = timestamp,
        State = new InventoryState { Stock = stock, Initialized = true },
    };
}
