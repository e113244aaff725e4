using System.Reflection;
using Npgsql;

namespace Shop.SqlBaseline.Database;

public static class BaselineDatabase
{
    /// <summary>
    /// One pooled <see cref="NpgsqlDataSource"/> for the process. The database is <c>ConnectionStrings:Baseline</c>
    /// (an Npgsql connection string or a <c>postgres://</c> URL), from the command line or the environment.
    /// </summary>
    public static IServiceCollection AddBaselineDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = configuration.GetConnectionString("Baseline")
            ?? throw new InvalidOperationException("Set ConnectionStrings:Baseline (--ConnectionStrings:Baseline=... or ConnectionStrings__Baseline).");
        var options = configuration.GetSection("Baseline").Get<BaselineOptions>() ?? new BaselineOptions();
        var connection = new NpgsqlConnectionStringBuilder(DatabaseUrl.ToConnectionString(configured))
        {
            // Requests beyond the pool wait for a connection (FIFO): the pool is the admission control.
            MaxPoolSize = options.MaxPoolSize,
            MinPoolSize = options.MaxPoolSize,
            // Every statement is a handful of fixed texts: prepare them once per connection.
            MaxAutoPrepare = 32,
            AutoPrepareMinUsages = 2,
            // Connections go back to the pool as they are: no DISCARD ALL round trip (which would also drop the prepared statements).
            NoResetOnClose = true,
            Timeout = 30,
            CommandTimeout = 30,
        };
        return services.AddSingleton(_ => NpgsqlDataSource.Create(connection.ConnectionString)).AddSingleton(TimeProvider.System);
    }

    /// <summary>Creates the schema if it is missing; instances starting together serialize on an advisory lock.</summary>
    public static async Task ApplySchemaAsync(this IServiceProvider services)
    {
        await using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("schema.sql")
            ?? throw new InvalidOperationException("The schema is not embedded.");
        using var reader = new StreamReader(stream);
        var schema = await reader.ReadToEndAsync();
        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(5150)", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync();
        }

        await using (var command = new NpgsqlCommand(schema, connection, transaction))
        {
            await command.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }
}

