using System.Diagnostics;
using System.Globalization;

namespace Shop.Bench.Infrastructure;

/// <summary>Runs the machine's own programs (PostgreSQL's, Redis', git, kill) to completion, bounded in time.</summary>
public static class ExternalProgram
{
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>Runs <paramref name="program"/> and returns its standard output; fails with its output on a non-zero exit or after <paramref name="timeout"/>.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, TimeSpan timeout, string? asUser = null, CancellationToken cancellation = default)
    {
        var args = arguments.ToList();
        var start = asUser is null
            ? new ProcessStartInfo(program, args)
            : new ProcessStartInfo("runuser", ["-u", asUser, "--", program, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var error = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        bounded.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(bounded.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellation.ThrowIfCancellationRequested();
            throw new TimeoutException($"{program} {string.Join(' ', args)} did not finish within {timeout.TotalSeconds:F0} s.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }

    /// <summary>Sends SIGTERM, the graceful stop an orchestrator asks for.</summary>
    public static Task TerminateAsync(int processId) =>
        RunAsync("kill", ["-TERM", processId.ToString(CultureInfo.InvariantCulture)], TimeSpan.FromSeconds(10));

    /// <summary>The first of <paramref name="candidates"/> that exists, else <paramref name="name"/> on the PATH.</summary>
    public static string? Find(string name, params string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
