using System.Globalization;
using Npgsql;

namespace Shop.Bench.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL server from the machine's own binaries: its own data directory under the run's
/// temporary directory, a free port on 127.0.0.1, normal durability (fsync and synchronous_commit on),
/// stopped when disposed. Both targets use it, each with its own database.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "shop";

    /// <summary>The server settings besides PostgreSQL's defaults; the same for both targets, and printed with the results.</summary>
    public static readonly IReadOnlyList<string> Settings = ["listen_addresses=127.0.0.1", "max_connections=400", "fsync=on", "synchronous_commit=on"];

    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(90);

    private readonly string directory;
    private readonly string bin;
    private readonly string? owner = ExternalProgram.IsRoot ? "postgres" : null;
    private bool running;

    private PostgresServer(string directory, string bin, int port)
    {
        this.directory = directory;
        this.bin = bin;
        Port = port;
    }

    public int Port { get; }

    public string Bin => bin;

    private string DataDirectory => Path.Combine(directory, "data");

    public static async Task<PostgresServer> LaunchAsync(string parent, CancellationToken cancellation)
    {
        var bin = FindBin() ?? throw new BenchSetupException(
            "PostgreSQL's binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin; install Debian's postgresql or set SHOP_PG_BIN.");
        var directory = Path.Combine(parent, "postgres");
        Directory.CreateDirectory(directory);
        var server = new PostgresServer(directory, bin, Ports.Free());
        if (server.owner is not null)
        {
            // PostgreSQL refuses to run as root: its directory belongs to the postgres account.
            await ExternalProgram.RunAsync("chown", [server.owner, directory], CommandTimeout, cancellation: cancellation);
        }

        await server.RunAsync("initdb", ["-D", server.DataDirectory, "-U", User, "-A", "trust", "-E", "UTF8"], cancellation);
        var options = string.Create(CultureInfo.InvariantCulture, $"-p {server.Port} -k {directory} ")
            + string.Join(' ', Settings.Select(s => $"-c {s}"));
        await server.RunAsync("pg_ctl", ["-D", server.DataDirectory, "-o", options, "-l", Path.Combine(directory, "server.log"), "-w", "-t", "60", "start"], cancellation);
        server.running = true;
        return server;
    }

    public string ConnectionString(string database, int maxPoolSize = 10) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = User,
            Database = database,
            MaxPoolSize = maxPoolSize,
            Timeout = 15,
            CommandTimeout = 60,
        }.ConnectionString;

    /// <summary>The postmaster's process id: every backend, and the WAL writer and checkpointer, are its children.</summary>
    public int PostmasterPid => int.Parse(File.ReadLines(Path.Combine(DataDirectory, "postmaster.pid")).First(), CultureInfo.InvariantCulture);

    public async Task CreateDatabaseAsync(string name, CancellationToken cancellation) =>
        await ExecuteAsync($"CREATE DATABASE {name}", cancellation);

    public async Task DropDatabaseAsync(string name, CancellationToken cancellation) =>
        await ExecuteAsync($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", cancellation);

    /// <summary>Flushes what the previous run left dirty, so a checkpoint does not land in the middle of the next one.</summary>
    public async Task CheckpointAsync(CancellationToken cancellation) => await ExecuteAsync("CHECKPOINT", cancellation);

    public async Task<string> VersionAsync(CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync(cancellation))!;
    }

    public async ValueTask DisposeAsync()
    {
        // Ctrl+C in a terminal reaches the whole process group: the server may have stopped already.
        if (running && File.Exists(Path.Combine(DataDirectory, "postmaster.pid")))
        {
            running = false;
            try
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "fast", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException)
            {
                await RunAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "-t", "30", "stop"], CancellationToken.None);
            }
        }
    }

    private async Task ExecuteAsync(string sql, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellation);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellation);
    }

    private Task<string> RunAsync(string program, IEnumerable<string> arguments, CancellationToken cancellation) =>
        ExternalProgram.RunAsync(Path.Combine(bin, program), arguments, CommandTimeout, owner, cancellation);

    private static string? FindBin()
    {
        if (Environment.GetEnvironmentVariable("SHOP_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : Path.GetDirectoryName(ExternalProgram.Find("pg_ctl") ?? "") is { Length: > 0 } onPath ? onPath : null;
    }
}
