using Shop.Api.Addresses;
using Shop.Api.Audit;
using Shop.Api.Auth;
using Shop.Api.Carts;
using Shop.Api.Checkout;
using Shop.Api.Errors;
using Shop.Api.Health;
using Shop.Api.Hosting;
using Shop.Api.Inventory;
using Shop.Api.Json;
using Shop.Api.OpenApi;
using Shop.Api.Orders;
using Shop.Api.Products;
using Shop.Silo.Telemetry;

var builder = WebApplication.CreateBuilder(args);
builder.AddShopCluster();
builder.AddShopTelemetry("shop-api");
builder.Services.AddShopAuth(builder.Configuration).AddShopJson().AddShopProblemDetails().AddShopOpenApi().AddShopHealthChecks();
DemoCatalog.AddDemoCatalog(builder.Services, builder.Configuration);

var app = builder.Build();
app.UseCheckoutMetrics();
app.UseShopProblemDetails();
app.UseAuthentication();
app.UseAuthorization();
app.LogAuthMode();
app.MapShopOpenApi();
app.MapShopMetrics();
app.MapHealth();
app.MapGroup("").WithTransientReadRetry()
    .MapAuth().MapProducts().MapInventory().MapCart().MapAddresses().MapCheckout().MapOrders().MapAudit();
app.Run();

/// <summary>The entry point, public for <c>WebApplicationFactory</c> in the tests.</summary>
public partial class Program;
