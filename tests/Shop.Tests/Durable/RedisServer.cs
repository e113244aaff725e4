using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Shop.Tests.Durable;

/// <summary>
/// A throwaway redis-server on a free port on 127.0.0.1 with append-only persistence in its own
/// directory; it can be stopped and started again with its data, and is deleted when disposed.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private readonly string directory;
    private Process? process;

    private RedisServer(string directory, int port)
    {
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public string ConnectionString => string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Port}");

    public static async Task<RedisServer> LaunchAsync()
    {
        var directory = Path.Combine(ExternalProgram.TemporaryRoot, $"redis-{Guid.NewGuid():N}");
        Directory.CreateDirectory(directory);
        var server = new RedisServer(directory, Docs.ShopProcess.FreePort());
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        process = Process.Start(new ProcessStartInfo(ExternalProgram.RedisServer,
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", directory,
            "--appendonly", "yes", "--appendfsync", "everysec", "--save", "", "--protected-mode", "yes",
        ])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        process.OutputDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", Port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }

    public async Task StopAsync()
    {
        if (process is { HasExited: false })
        {
            await ExternalProgram.TerminateAsync(process.Id);
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        process?.Dispose();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
