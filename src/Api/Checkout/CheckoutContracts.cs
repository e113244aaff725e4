using Shop.Api.Validation;

namespace Shop.Api.Checkout;

public sealed record CheckoutRequestBody(
    long? ShippingAddressId,
    long? BillingAddressId,
    string? Notes,
    string? PaymentMethod) : IValidatable
{
    public CheckoutRequest ToRequest(string? idempotencyKey, Guid requestId) => new(
        Require.Present(ShippingAddressId, "shipping_address_id"),
        BillingAddressId,
        Notes,
        Require.OptionalEnum<PaymentMethod>(PaymentMethod, "payment_method") ?? Shop.PaymentMethod.CreditCard,
        idempotencyKey,
        requestId);

    public void Validate() => ToRequest(null, Guid.Empty).Validate();
}
