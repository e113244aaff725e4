using Microsoft.Extensions.Hosting;
using Shop.Silo;

var builder = Host.CreateApplicationBuilder(args);
builder.UseOrleans(silo => silo.UseShopClustering(builder.Configuration).AddShop(builder.Configuration));
await builder.Build().RunAsync();
