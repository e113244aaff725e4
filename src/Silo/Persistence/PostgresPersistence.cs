using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Storage;
using Shop.Grains;

namespace Shop.Silo.Persistence;

public static class PostgresPersistence
{
    /// <summary>
    /// All grain state, transactional state included, in PostgreSQL through Orleans' ADO.NET provider,
    /// plus the read model and a readiness probe. The schema is migrated when the silo starts, before
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
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(connectionString).Build());
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, SchemaMigrationParticipant>();
        services.AddSingleton<IShopReadModel, PostgresShopReadModel>();
        services.AddSingleton<IHealthProbe, PostgresHealthProbe>();
        foreach (var name in new[] { ShopStorage.State, ShopStorage.Transactions })
        {
            silo.AddAdoNetGrainStorage(name, options => options.Invariant = "Npgsql");
            services.AddOptions<AdoNetGrainStorageOptions>(name).Configure<NpgsqlDataSource, Serializer>((options, dataSource, serializer) =>
            {
                options.Invariant = "Npgsql";
                options.DataSource = dataSource;
                options.GrainStorageSerializer = new OrleansGrainStorageSerializer(serializer);
            });
        }

        return silo;
    }

    /// <summary>Runs the migrations early in the silo's start, before storage providers initialize.</summary>
    private sealed class SchemaMigrationParticipant(SchemaMigrator migrator) : ILifecycleParticipant<ISiloLifecycle>
    {
        public void Participate(ISiloLifecycle lifecycle) =>
            lifecycle.Subscribe(nameof(SchemaMigrationParticipant), ServiceLifecycleStage.RuntimeInitialize,
                cancellation => migrator.MigrateAsync(TimeSpan.FromSeconds(60), cancellation));
    }
}
