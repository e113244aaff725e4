using Microsoft.Extensions.DependencyInjection;
using Shop.Silo.Persistence;

namespace Shop.Silo;

/// <summary>One silo per process; <c>Shop.Silo migrate</c> applies the schema and exits.</summary>
internal static class Program
{
    public static async Task Main(string[] args)
    {
        var app = SiloApplication.Build(args);
        if (args.Contains("migrate"))
        {
            // The silo also does this itself when it starts.
            await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
            return;
        }

        await app.RunAsync();
    }
}
