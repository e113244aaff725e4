using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.Transactions.Abstractions;
using Shop.Grains;

namespace Shop.Silo.Persistence;

public static class PostgresPersistence
{
    /// <summary>
    /// All grain state in PostgreSQL: plain state through Orleans' ADO.NET provider, transactional state
    /// through Shop's batching <see cref="PostgresTransactionalStateStorage{TState}"/>; plus the read
    /// model and a readiness probe. The schema is migrated when the silo starts, before
    /// the storage providers read their queries.
    /// </summary>
    /// <remarks>
    /// State is stored with the Orleans serializer, not the provider's default (Newtonsoft JSON with .NET
    /// type names): its payloads carry field ids rather than type names for declared types, so renaming
    /// or moving a class does not break stored state, fields can be added (new [Id]s) and removed, and it
    /// is several times smaller and faster to write, which matters on a checkout's path.
    /// </remarks>
    public static ISiloBuilder AddShopPostgres(this ISiloBuilder silo, string connectionString)
    {
        var services = silo.Services;
        services.AddSingleton(_ => CreateDataSource(connectionString));
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
        services.AddSingleton<IShopReadModel, PostgresShopReadModel>();
        services.AddSingleton<IHealthProbe, PostgresHealthProbe>();

        // Plain grain state through Orleans' ADO.NET provider (with Shop's schema and serializer).
        silo.AddAdoNetGrainStorage(ShopStorage.State, options => options.Invariant = "Npgsql");
        services.AddOptions<AdoNetGrainStorageOptions>(ShopStorage.State).Configure<NpgsqlDataSource, Serializer>((options, dataSource, serializer) =>
        {
            options.Invariant = "Npgsql";
            options.DataSource = dataSource;
            options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
        });

        // Transactional state through Shop's own storage, which batches the writes of concurrent commits.
        services.AddSingleton(sp => new StateBatcher(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
            concurrency: 4,
            sp.GetRequiredService<ILogger<StateBatcher>>()));
        services.AddKeyedSingleton<ITransactionalStateStorageFactory, PostgresTransactionalStateStorageFactory>(ShopStorage.Transactions);
        services.AddSingleton<ICheckoutWaits, PostgresCheckoutWaits>();
        return silo;
    }

    /// <summary>
    /// The silo's one pool, tuned for what it runs unless the connection string says otherwise: a handful of
    /// statement texts thousands of times a second under a sale (the state batcher's write alone took a
    /// third of a millisecond of planning each time), so they are prepared on the connections that run
    /// them; and no session state is ever left on a connection (every advisory lock is a transaction's),
    /// so a connection going back to the pool is not reset (five statements each time otherwise).
    /// </summary>
    private static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.ConnectionStringBuilder.MaxAutoPrepare = 64;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.ConnectionStringBuilder.NoResetOnClose = true;
        }

        return builder.Build();
    }

    /// <summary>Runs the migrations early in the silo's start, before storage providers initialize.</summary>
    private sealed class SchemaMigrationParticipant(SchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.RuntimeInitialize,
                cancellation => migrator.MigrateAsync(TimeSpan.FromSeconds(60), cancellation));
    }
}
