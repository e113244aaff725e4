using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Shop.Bench.Infrastructure;

/// <summary>A throwaway redis-server on a free port on 127.0.0.1 (append-only, as Shop runs it), killed when disposed.</summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly Process process;

    private RedisServer(Process process, int port, string program)
    {
        this.process = process;
        Port = port;
        Program = program;
    }

    public int Port { get; }

    public string Program { get; }

    public int Pid => process.Id;

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static async Task<RedisServer> LaunchAsync(string parent, CancellationToken cancellation)
    {
        var program = ExternalProgram.Find("redis-server", "/usr/bin/redis-server", "/usr/local/bin/redis-server")
            ?? throw new BenchSetupException("redis-server was not found; install Debian's redis-server.");
        var directory = Path.Combine(parent, "redis");
        Directory.CreateDirectory(directory);
        var port = Ports.Free();
        var process = Process.Start(new ProcessStartInfo(program,
        [
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        }) ?? throw new BenchSetupException("Could not start redis-server.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new RedisServer(process, port, program);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellation);
                return server;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100, cancellation);
            }
            catch (SocketException)
            {
                await server.DisposeAsync();
                throw new BenchSetupException($"redis-server did not listen on 127.0.0.1:{port} within 20 s (exited: {process.HasExited}).");
            }
        }
    }

    public async Task<string> VersionAsync(CancellationToken cancellation) =>
        (await ExternalProgram.RunAsync(Program, ["--version"], TimeSpan.FromSeconds(10), cancellation: cancellation)).Trim();

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(patience.Token);
        }

        process.Dispose();
    }
}
