namespace Shop.Tests.Durable;

/// <summary>One PostgreSQL and one Redis for the durable tests; each test takes its own database and cluster id.</summary>
public sealed class DurableServers : IAsyncLifetime
{
    public PostgresServer Postgres { get; private set; } = null!;

    public RedisServer Redis { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Postgres = await PostgresServer.LaunchAsync();
        Redis = await RedisServer.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await Postgres.DisposeAsync();
        await Redis.DisposeAsync();
    }

    public async Task<ShopDeployment> NewDeploymentAsync() =>
        new(Postgres.ConnectionString(await Postgres.CreateDatabaseAsync()), Redis.ConnectionString);
}

[CollectionDefinition(Name)]
public sealed class DurableCollection : ICollectionFixture<DurableServers>
{
    public const string Name = "Durable";
}
