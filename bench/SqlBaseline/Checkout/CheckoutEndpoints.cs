using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Http;

namespace Shop.SqlBaseline.Checkout;

public static class CheckoutEndpoints
{
    private static readonly HashSet<string> PaymentMethods = new(StringComparer.Ordinal) { "credit_card", "paypal", "bank_transfer", "cash_on_delivery" };

    public static IEndpointRouteBuilder MapCheckout(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checkout", Checkout).RequireAuthorization();
        return app;
    }

    /// <summary>
    /// The benchmark's HTTP floor (<c>Baseline:Floor</c>): every checkout is answered the contract's sold-out
    /// 409 after what the baseline's checkout costs before its data is touched (the bearer token validated,
    /// the body bound and validated), and nothing else.
    /// </summary>
    public static IEndpointRouteBuilder MapCheckoutFloor(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/checkout", Floor).RequireAuthorization();
        return app;
    }

    private static Results<ValidationProblem, ProblemHttpResult> Floor(
        CheckoutRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey) =>
        request.ShippingAddressId is null
            ? Problems.Invalid("shipping_address_id", "shipping_address_id is required.")
            : Problems.Conflict("Insufficient stock for 'Floor'. Available: 0, Requested: 1");

    private static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ValidationProblem, ProblemHttpResult>> Checkout(
        CheckoutRequest request,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
        CheckoutTransaction checkout,
        CancellationToken cancellation)
    {
        if (request.ShippingAddressId is not { } shipping)
        {
            return Problems.Invalid("shipping_address_id", "shipping_address_id is required.");
        }

        var paymentMethod = request.PaymentMethod ?? "credit_card";
        if (!PaymentMethods.Contains(paymentMethod))
        {
            return Problems.Invalid("payment_method", "payment_method must be one of: bank_transfer, cash_on_delivery, credit_card, paypal.");
        }

        if (request.Notes is { Length: > 500 })
        {
            return Problems.Invalid("notes", "notes must be at most 500 characters.");
        }

        if (idempotencyKey is { Length: 0 or > 255 })
        {
            return Problems.Invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 characters.");
        }

        var command = new CheckoutCommand(user.UserId(), shipping, request.BillingAddressId ?? shipping, request.Notes, paymentMethod, idempotencyKey);
        return await checkout.RunAsync(command, cancellation) switch
        {
            CheckoutOutcome.Placed placed => TypedResults.Created($"/api/orders/{placed.Order.Id}", placed.Order),
            CheckoutOutcome.Replayed replayed => TypedResults.Ok(replayed.Order),
            CheckoutOutcome.Rejected rejected => TypedResults.Problem(rejected.Detail, statusCode: rejected.Status),
            _ => throw new InvalidOperationException("Unknown checkout outcome."),
        };
    }
}
