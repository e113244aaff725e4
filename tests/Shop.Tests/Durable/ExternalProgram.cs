using System.Diagnostics;

namespace Shop.Tests.Durable;

/// <summary>Runs the machine's own programs (PostgreSQL's, Redis', kill) and finds them.</summary>
public static class ExternalProgram
{
    /// <summary>Where throwaway servers keep their data: under the test command's temporary directory when it set one.</summary>
    public static string TemporaryRoot { get; } = Environment.GetEnvironmentVariable("SHOP_TEST_TMP") is { Length: > 0 } root
        ? root
        : Path.Combine(Path.GetTempPath(), "shop-tests");

    public static bool IsRoot => Environment.UserName == "root";

    public static string PostgresBin { get; } = FindPostgresBin();

    public static string RedisServer { get; } = Find("redis-server", ["/usr/bin/redis-server", "/usr/local/bin/redis-server"])
        ?? throw new InvalidOperationException("redis-server not found. Run ./scripts/test.sh, which installs Debian's redis-server.");

    /// <summary>Runs a program to completion and returns its output; fails on a non-zero exit.</summary>
    public static async Task<string> RunAsync(string program, IEnumerable<string> arguments, string? asUser = null, TimeSpan? timeout = null)
    {
        var args = arguments.ToList();
        var start = asUser is null
            ? new ProcessStartInfo(program, args)
            : new ProcessStartInfo("runuser", ["-u", asUser, "--", program, .. args]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cancellation.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} exited with {process.ExitCode}: {await output}{await error}");
        }

        return await output;
    }

    /// <summary>Sends SIGTERM: the graceful stop an orchestrator would ask for.</summary>
    public static Task TerminateAsync(int processId) => RunAsync("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);

    private static string FindPostgresBin()
    {
        if (Environment.GetEnvironmentVariable("SHOP_PG_BIN") is { Length: > 0 } configured)
        {
            return configured;
        }

        var debian = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
        return debian
            ?? Path.GetDirectoryName(Find("pg_ctl", []) ?? "")
            ?? throw new InvalidOperationException("PostgreSQL's pg_ctl not found. Run ./scripts/test.sh, which installs Debian's postgresql.");
    }

    private static string? Find(string name, string[] candidates) =>
        candidates.FirstOrDefault(File.Exists)
        ?? (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);
}
