namespace Shop.Bench.Infrastructure;

/// <summary>The Shop repository the benchmark runs from: its Release binaries, the baseline's pgbench script, the docs.</summary>
public sealed class Repository(string root)
{
    public string Root { get; } = root;

    public string SiloAssembly => Path.Combine(Root, "src", "Silo", "bin", "Release", "net10.0", "Shop.Silo.dll");

    public string ApiAssembly => Path.Combine(Root, "src", "Api", "bin", "Release", "net10.0", "Shop.Api.dll");

    public string BaselineAssembly => Path.Combine(Root, "bench", "SqlBaseline", "bin", "Release", "net10.0", "Shop.SqlBaseline.dll");

    public string BaselineSchema => Path.Combine(Root, "bench", "SqlBaseline", "Database", "schema.sql");

    public string PgBenchScript => Path.Combine(Root, "bench", "SqlBaseline", "Database", "checkout.pgbench");

    public string Docs => Path.Combine(Root, "docs", "benchmarks.md");

    public string Charts => Path.Combine(Root, "docs", "benchmarks");

    /// <summary>The directory holding Shop.sln: <paramref name="configured"/>, or the nearest one above the current directory.</summary>
    public static Repository Locate(string? configured)
    {
        if (configured is not null)
        {
            return File.Exists(Path.Combine(configured, "Shop.sln"))
                ? new Repository(Path.GetFullPath(configured))
                : throw new BenchSetupException($"{configured} holds no Shop.sln.");
        }

        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Shop.sln")))
            {
                return new Repository(directory.FullName);
            }
        }

        throw new BenchSetupException("Run the benchmark from the Shop repository (no Shop.sln above the current directory), or pass --repo.");
    }

    /// <summary>Fails unless the Release binaries the benchmark runs exist; it builds nothing itself.</summary>
    public void RequireBinaries(bool shop, bool baseline)
    {
        var required = new List<string>();
        if (shop)
        {
            required.AddRange([SiloAssembly, ApiAssembly]);
        }

        if (baseline)
        {
            required.Add(BaselineAssembly);
        }

        var missing = required.Where(p => !File.Exists(p)).ToList();
        if (missing.Count > 0)
        {
            throw new BenchSetupException(
                $"The Release binaries are missing:\n  {string.Join("\n  ", missing.Select(p => Path.GetRelativePath(Root, p)))}\n"
                + "Build them first: dotnet build Shop.sln -c Release");
        }
    }

    /// <summary>Source files newer than the binary built from them: the benchmark would measure old code.</summary>
    public IReadOnlyList<string> StaleBinaries(bool shop, bool baseline)
    {
        var checks = new List<(string Binary, string[] Sources)>();
        if (shop)
        {
            string[] sources = [Path.Combine(Root, "src")];
            checks.AddRange([(SiloAssembly, sources), (ApiAssembly, sources)]);
        }

        if (baseline)
        {
            checks.Add((BaselineAssembly, [Path.Combine(Root, "bench", "SqlBaseline")]));
        }

        return [.. checks.Where(c => c.Sources.Any(s => NewestSource(s) > NewestBuilt(c.Binary))).Select(c => Path.GetRelativePath(Root, c.Binary))];
    }

    /// <summary>
    /// When the build last wrote the binary's directory: its newest assembly. A build that changed only a
    /// referenced project rewrites that project's assembly there, not the entry assembly, which keeps its time.
    /// </summary>
    private static DateTime NewestBuilt(string binary) =>
        Directory.EnumerateFiles(Path.GetDirectoryName(binary)!, "*.dll").Select(File.GetLastWriteTimeUtc).Append(File.GetLastWriteTimeUtc(binary)).Max();

    private static DateTime NewestSource(string directory) =>
        Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".sql", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal)))
            .Select(File.GetLastWriteTimeUtc)
            .DefaultIfEmpty(DateTime.MinValue)
            .Max();
}
