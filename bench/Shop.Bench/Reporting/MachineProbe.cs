using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Shop.Bench.Infrastructure;
using Shop.Bench.Results;

namespace Shop.Bench.Reporting;

/// <summary>Reads the machine's description at run time: /proc, /etc/os-release, the servers, Shop's binaries, git.</summary>
public static partial class MachineProbe
{
    public static async Task<MachineInfo> ReadAsync(Repository repository, PostgresServer postgres, RedisServer redis, CancellationToken cancellation) => new(
        Environment.ProcessorCount,
        FirstValue("/proc/cpuinfo", "model name", ':') ?? "unknown",
        Math.Round(double.Parse((FirstValue("/proc/meminfo", "MemTotal", ':') ?? "0 kB").Split(' ')[0], CultureInfo.InvariantCulture) / 1048576, 1),
        FirstValue("/etc/os-release", "PRETTY_NAME", '=')?.Trim('"') ?? RuntimeInformation.OSDescription,
        File.Exists("/proc/sys/kernel/osrelease") ? (await File.ReadAllTextAsync("/proc/sys/kernel/osrelease", cancellation)).Trim() : "unknown",
        RuntimeInformation.FrameworkDescription,
        $"PostgreSQL {await postgres.VersionAsync(cancellation)}",
        RedisVersion().Match(await redis.VersionAsync(cancellation)) is { Success: true } v ? $"Redis {v.Groups[1].Value}" : "Redis",
        OrleansVersion(repository),
        await CommitAsync(repository, cancellation));

    private static string? FirstValue(string path, string key, char separator) =>
        File.Exists(path)
            ? File.ReadLines(path).Where(l => l.StartsWith(key, StringComparison.Ordinal) && l.Contains(separator, StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf(separator, StringComparison.Ordinal) + 1)..].Trim()).FirstOrDefault()
            : null;

    /// <summary>The Orleans runtime Shop's silo was built against, from its dependency manifest.</summary>
    private static string OrleansVersion(Repository repository)
    {
        var manifest = Path.ChangeExtension(repository.SiloAssembly, ".deps.json");
        return File.Exists(manifest) && OrleansRuntime().Match(File.ReadAllText(manifest)) is { Success: true } match
            ? $"Orleans {match.Groups[1].Value}"
            : "Orleans (version unknown)";
    }

    /// <summary>The commit measured, marked when the work tree has uncommitted changes.</summary>
    private static async Task<string> CommitAsync(Repository repository, CancellationToken cancellation)
    {
        try
        {
            var timeout = TimeSpan.FromSeconds(20);
            var commit = (await ExternalProgram.RunAsync("git", ["-C", repository.Root, "rev-parse", "--short", "HEAD"], timeout, cancellation: cancellation)).Trim();
            var changes = await ExternalProgram.RunAsync("git", ["-C", repository.Root, "status", "--porcelain", "--untracked-files=no"], timeout, cancellation: cancellation);
            return changes.Trim().Length == 0 ? commit : $"{commit} with uncommitted changes";
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return "unknown (not a git work tree)";
        }
    }

    [GeneratedRegex(@"v=(\S+)")]
    private static partial Regex RedisVersion();

    [GeneratedRegex("\"Microsoft\\.Orleans\\.Runtime/([^\"]+)\"")]
    private static partial Regex OrleansRuntime();
}
