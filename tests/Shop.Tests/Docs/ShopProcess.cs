using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Shop.Tests.Docs;

/// <summary>A built Shop program (the API or a silo) run as its own process, stopped (killed) when disposed.</summary>
public sealed class ShopProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ShopProcess(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    public bool HasExited => process.HasExited;

    public int Id => process.Id;

    /// <summary>
    /// Whether the process exited because a port it was to listen on was taken: ports are chosen free
    /// (<see cref="FreePort"/>), but another process can take one before the program binds it.
    /// </summary>
    public bool LostItsPort()
    {
        if (!process.HasExited)
        {
            return false;
        }

        process.WaitForExit(); // and for the end of its output
        return Output.Contains("already in use", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Starts <c>src/{project}/bin/{Configuration}/net10.0/{assembly}.dll</c> with the given settings as environment variables.</summary>
    public static ShopProcess Start(string project, string assembly, IReadOnlyDictionary<string, string> environment)
    {
        var directory = RepositoryFiles.Path("src", project, "bin", RepositoryFiles.Configuration, "net10.0");
        var start = new ProcessStartInfo("dotnet", $"{assembly}.dll")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ShopProcess(Process.Start(start) ?? throw new InvalidOperationException($"Could not start {assembly}."));
    }

    /// <summary>
    /// A port nothing listens on, chosen below the kernel's ephemeral range. A port the kernel hands out
    /// for "any port" comes from the same range as every outgoing connection's, so one of those (any
    /// client in a test running in parallel) could take it before the program binds it, and did; a port
    /// below that range is only ever taken by a program that asks for it. Never the same port twice in
    /// one test run.
    /// </summary>
    public static int FreePort()
    {
        var below = EphemeralPortsStart();
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var port = Random.Shared.Next(ChosenPortsStart, below);
            if (!HandedOut.TryAdd(port, true))
            {
                continue;
            }

            try
            {
                using var listener = new TcpListener(IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (SocketException)
            {
                // Someone listens there: another one.
            }
        }

        throw new InvalidOperationException($"No free port between {ChosenPortsStart} and {below}.");
    }

    private const int ChosenPortsStart = 15000;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> HandedOut = new();

    private static int EphemeralPortsStart()
    {
        // Linux: "32768\t60999"; elsewhere, the IANA range's start.
        const string range = "/proc/sys/net/ipv4/ip_local_port_range";
        return File.Exists(range) && int.TryParse(File.ReadAllText(range).Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries)[0], out var start) && start > ChosenPortsStart + 1000
            ? start
            : 49152;
    }

    /// <summary>Waits until <paramref name="url"/> answers 200, or fails with what the process printed.</summary>
    public async Task WaitUntilHealthyAsync(string url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            Assert.False(process.HasExited, $"The process exited early:\n{Output}");
            try
            {
                if ((await http.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Assert.True(DateTime.UtcNow < deadline, $"{url} did not become healthy within {timeout}:\n{Output}");
            await Task.Delay(250);
        }
    }

    public void Kill() => process.Kill(entireProcessTree: true);

    /// <summary>Asks the process to stop (SIGTERM) and waits for it to exit; kills it if it takes longer than <paramref name="patience"/>.</summary>
    public async Task StopAsync(TimeSpan patience)
    {
        if (process.HasExited)
        {
            return;
        }

        await Durable.ExternalProgram.TerminateAsync(process.Id);
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
        }

        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }
}
