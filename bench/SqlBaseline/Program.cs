using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Catalog;
using Shop.SqlBaseline.Checkout;
using Shop.SqlBaseline.Customers;
using Shop.SqlBaseline.Database;
using Shop.SqlBaseline.Http;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddBaselineDatabase(builder.Configuration).AddBaselineAuth(builder.Configuration).AddBaselineHttp();
builder.Services.AddSingleton<CheckoutTransaction>();

var app = builder.Build();
await app.Services.ApplySchemaAsync();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth().MapAuth().MapProducts().MapInventory().MapAddresses().MapCart();
if (app.Configuration.GetValue<bool>("Baseline:Floor"))
{
    app.MapCheckoutFloor();
}
else
{
    app.MapCheckout();
}

await app.RunAsync();
