namespace Shop.Tests.Docs;

/// <summary>Paths in the repository, found from the test binaries (tests/Shop.Tests/bin/{Configuration}/net10.0).</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Configuration => new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    public static string Path(params string[] parts) => System.IO.Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Path(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "Shop.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("Shop.sln not found above the test binaries.");
    }
}
