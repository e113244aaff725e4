using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shop.Silo;
using Shop.Silo.Persistence;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseShopClustering(builder.Configuration).AddShop(builder.Configuration));
var host = builder.Build();
if (args.Contains("migrate"))
{
    // "Shop.Silo migrate": apply the schema and exit (the silo also does this itself when it starts).
    await host.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
    return;
}

await host.RunAsync();
