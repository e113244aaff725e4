using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Auth;
using Shop.Api.Errors;
using Shop.Api.Orders;
using Shop.Api.Validation;

namespace Shop.Api.Checkout;

public static class CheckoutEndpoints
{
    public static IEndpointRouteBuilder MapCheckout(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/checkout").WithTags("Checkout").WithValidation().RequireAuthorization();
        group.MapPost("/", Checkout)
            .WithSummary("Check out my cart")
            .WithDescription("""
                One ACID transaction: the cart is validated, every line's stock checked and taken, the order created
                with snapshots of the products and addresses, the audit entries written and the cart emptied; any
                failure leaves stock, cart and orders exactly as they were. billing_address_id defaults to
                shipping_address_id; both must be the caller's. payment_method defaults to credit_card.
                Idempotency-Key (1..255 characters): repeating a checkout with the same key (kept 48 hours) returns
                the same order with 200 and changes nothing; the same key with different parameters is 409.
                503 means nothing was ordered, or (its detail says so) that the outcome could not be established in
                time; retrying with the same key is safe either way.
                """);
        return app;
    }

    private static async Task<Results<Created<OrderResponse>, Ok<OrderResponse>, ProblemHttpResult>> Checkout(
        CheckoutRequestBody body,
        [FromHeader(Name = "Idempotency-Key")] string? idempotencyKey,
        ClaimsPrincipal user,
        CheckoutRunner checkouts,
        HttpContext context)
    {
        var request = body.ToRequest(idempotencyKey, Guid.NewGuid());
        request.Validate();
        var result = await checkouts.CheckoutAsync(user.UserId(), request, context.RequestAborted);
        if (result.Rejection is { } rejection)
        {
            if (rejection is InsufficientStockException)
            {
                CheckoutMetrics.MarkSoldOut(context);
            }

            // Refusals come back as values (no exception on a flash sale's hot path); same mapping.
            return TypedResults.Problem(ShopExceptionHandler.ToProblem(rejection));
        }

        var order = OrderResponse.From(result.Order!);
        return result.Replayed ? TypedResults.Ok(order) : TypedResults.Created($"/api/orders/{order.Id}", order);
    }
}
