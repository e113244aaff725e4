using System.Globalization;
using Npgsql;

namespace Shop.Tests.Durable;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries: its own data directory under the
/// test run's temporary directory, a free port on 127.0.0.1 only, stopped and deleted when disposed.
/// It can be stopped and started again (same data) to test outages.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string User = "shop";

    private readonly string directory;
    private readonly string? owner = ExternalProgram.IsRoot ? "postgres" : null;

    private PostgresServer(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public bool IsRunning { get; private set; }

    private string DataDirectory => Path.Combine(directory, "data");

    public static async Task<PostgresServer> LaunchAsync()
    {
        var directory = Path.Combine(ExternalProgram.TemporaryRoot, $"pg-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(directory, Docs.ShopProcess.FreePort());
        if (server.owner is not null)
        {
            // PostgreSQL refuses to run as root: the data belongs to the postgres account.
            await ExternalProgram.RunAsync("chown", [server.owner, directory]);
        }

        await server.RunAsync("initdb", ["-D", server.DataDirectory, "-U", User, "-A", "trust", "--no-sync", "-E", "UTF8"]);
        await server.StartAsync();
        return server;
    }

    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={User};Database={database};Maximum Pool Size=50;Timeout=5;Command Timeout=10");

    /// <summary>A new, empty database for one test, so tests never see each other's data.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = $"shop_{Guid.NewGuid():N}";
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
        await command.ExecuteNonQueryAsync();
        return name;
    }

    public async Task StartAsync()
    {
        // fsync off: these servers hold test data only, and the tests stop PostgreSQL cleanly, never crash it.
        var options = string.Create(CultureInfo.InvariantCulture,
            $"-p {Port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=off -c synchronous_commit=off");
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"]);
        IsRunning = true;
    }

    public async Task StopAsync()
    {
        await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "60", "stop"]);
        IsRunning = false;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsRunning)
        {
            await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"]);
            IsRunning = false;
        }

        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // The test command removes its temporary directory at the end anyway.
        }
    }

    private Task<string> RunAsync(string program, IEnumerable<string> arguments) =>
        ExternalProgram.RunAsync(Path.Combine(ExternalProgram.PostgresBin, program), arguments, owner, TimeSpan.FromSeconds(90));
}
