using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Shop.Silo.Persistence;

namespace Shop.Tests.Durable;

[Collection(DurableCollection.Name)]
public sealed class StateBatcherTests(DurableServers servers)
{
    /// <summary>
    /// Two writes of one grain's state that expect the same etag (two activations of the grain, one of
    /// them still deactivating) must not both be told they succeeded, even when they go to PostgreSQL
    /// in the same batch: one of them was not stored, and the grain that believes it was would lose it.
    /// </summary>
    [Fact]
    public async Task OfTwoWritesOfOneRowAtOnceExactlyOneSucceedsAndItsRecordIsStored()
    {
        var connectionString = servers.Postgres.ConnectionString(await servers.Postgres.CreateDatabaseAsync());
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).MigrateAsync(TimeSpan.FromSeconds(30), CancellationToken.None);
        // One writer: whatever is queued while it writes goes out together in its next statement.
        await using var batcher = new StateBatcher(dataSource, "service", concurrency: 1, NullLogger<StateBatcher>.Instance);

        for (var i = 0; i < 20; i++)
        {
            var grain = $"inventory/{i}";
            var created = await Task.WhenAll(
                batcher.WriteAsync(new StateWrite("state", grain, ExpectedEtag: null, Etag: 1, [1])),
                batcher.WriteAsync(new StateWrite("state", grain, ExpectedEtag: null, Etag: 1, [2])));
            var updated = await Task.WhenAll(
                batcher.WriteAsync(new StateWrite("state", grain, ExpectedEtag: 1, Etag: 2, [3])),
                batcher.WriteAsync(new StateWrite("state", grain, ExpectedEtag: 1, Etag: 2, [4])));

            Assert.Equal(1, created.Count(written => written));
            Assert.Equal(1, updated.Count(written => written));
            var row = await batcher.ReadAsync("state", grain);
            Assert.Equal(2, row!.Etag);
            Assert.Equal(updated[0] ? 3 : 4, row.Record[0]);
        }
    }
}
