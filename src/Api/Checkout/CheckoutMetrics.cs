using System.Diagnostics;
using Shop.Diagnostics;

namespace Shop.Api.Checkout;

/// <summary>
/// <c>shop.checkouts</c> and <c>shop.checkout.duration</c>: every checkout request counted once, with the
/// outcome and the time its caller waited, whatever answered it (the endpoint, validation, auth or the
/// exception handler). Sits outside the exception handler, so it sees the final status.
/// </summary>
public static class CheckoutMetrics
{
    private const string SoldOutItem = "shop.checkout.sold_out";

    public static WebApplication UseCheckoutMetrics(this WebApplication app)
    {
        app.UseWhen(IsCheckout, branch => branch.Use(async (context, next) =>
        {
            var metrics = context.RequestServices.GetRequiredService<ShopMetrics>();
            var started = Stopwatch.GetTimestamp();
            try
            {
                await next(context);
            }
            catch
            {
                metrics.CheckoutAnswered(CheckoutOutcome.Error, Stopwatch.GetElapsedTime(started));
                throw;
            }

            metrics.CheckoutAnswered(Outcome(context), Stopwatch.GetElapsedTime(started));
        }));
        return app;
    }

    /// <summary>Marks the request as refused for lack of stock (a 409 like others, but its own outcome).</summary>
    public static void MarkSoldOut(HttpContext context) => context.Items[SoldOutItem] = true;

    private static string Outcome(HttpContext context) => context.Response.StatusCode switch
    {
        < 300 => CheckoutOutcome.Ok,
        _ when context.Items.ContainsKey(SoldOutItem) => CheckoutOutcome.SoldOut,
        < 500 => CheckoutOutcome.Invalid,
        _ => CheckoutOutcome.Error,
    };

    private static bool IsCheckout(HttpContext context) =>
        HttpMethods.IsPost(context.Request.Method)
        && context.Request.Path.StartsWithSegments("/api/checkout", out var rest)
        && rest.Value is null or "" or "/";
}
