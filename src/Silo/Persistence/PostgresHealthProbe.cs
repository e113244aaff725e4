using Npgsql;
using Shop.Grains;

namespace Shop.Silo.Persistence;

public sealed class PostgresHealthProbe(NpgsqlDataSource dataSource) : IHealthProbe
{
    public string Name => "postgresql";

    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellationToken);
    }
}
