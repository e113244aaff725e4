using System.Diagnostics;

namespace Shop.Bench.Infrastructure;

/// <summary>A built .NET program (a Shop silo, the Shop API, the SQL baseline) run as its own process with settings in its environment.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int TailLines = 200;

    private readonly Process process;
    private readonly Queue<string> tail = new();

    private ServerProcess(string name, Process process)
    {
        Name = name;
        this.process = process;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int Pid => process.Id;

    /// <summary>The last lines the process printed, for error messages.</summary>
    public string Output
    {
        get
        {
            lock (tail)
            {
                return string.Join('\n', tail);
            }
        }
    }

    public static ServerProcess Start(string name, string assemblyPath, IReadOnlyDictionary<string, string> environment)
    {
        var start = new ProcessStartInfo("dotnet", [assemblyPath])
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        return new ServerProcess(name, Process.Start(start) ?? throw new BenchSetupException($"Could not start {assemblyPath}."));
    }

    /// <summary>Waits until <paramref name="url"/> answers 200; fails with what the process printed if it exits or takes longer than <paramref name="timeout"/>.</summary>
    public async Task WaitUntilReadyAsync(string url, TimeSpan timeout, CancellationToken cancellation)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            ThrowIfExited();
            try
            {
                using var response = await http.GetAsync(url, cancellation);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new BenchSetupException($"{Name}: {url} was not ready within {timeout.TotalSeconds:F0} s:\n{Output}");
            }

            await Task.Delay(250, cancellation);
        }
    }

    public void ThrowIfExited()
    {
        if (process.HasExited)
        {
            throw new BenchSetupException($"{Name} exited with {process.ExitCode} while starting:\n{Output}");
        }
    }

    /// <summary>Asks the process to stop (SIGTERM) and kills it if it has not exited within <paramref name="patience"/>.</summary>
    public async Task StopAsync(TimeSpan patience)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            await ExternalProgram.TerminateAsync(process.Id);
            using var timeout = new CancellationTokenSource(patience);
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(20));
        process.Dispose();
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (tail)
        {
            tail.Enqueue(line);
            if (tail.Count > TailLines)
            {
                tail.Dequeue();
            }
        }
    }
}
