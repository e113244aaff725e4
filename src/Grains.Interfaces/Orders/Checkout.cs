namespace Shop;

/// <remarks>
/// <c>RequestId</c> identifies one request across the caller's own retries (and records it when the client
/// sent no Idempotency-Key). A caller that retries after a timeout or a lost silo (the first attempt may
/// still commit) numbers the retry in <c>Attempt</c>: the retry first fences off the attempts before it at
/// the buyer's cart (<see cref="ICartGrain.SupersedeAsync"/>), then returns the order one of them created,
/// if any; otherwise none of them can create one any more, so its own answer, a sold-out one included, is
/// the request's only outcome.
/// </remarks>
[GenerateSerializer, Immutable, Alias("Shop.CheckoutRequest")]
public sealed record CheckoutRequest(
    long ShippingAddressId,
    long? BillingAddressId,
    string? Notes,
    PaymentMethod PaymentMethod,
    string? IdempotencyKey,
    Guid? RequestId = null,
    int Attempt = 1)
{
    public const int MaxNotesLength = 500;
    public const int MaxIdempotencyKeyLength = 255;

    public void Validate()
    {
        if (ShippingAddressId <= 0)
        {
            throw new ValidationException("shipping_address_id", "shipping_address_id must be a positive integer.");
        }

        if (BillingAddressId is <= 0)
        {
            throw new ValidationException("billing_address_id", "billing_address_id must be a positive integer.");
        }

        if (Notes is { Length: > MaxNotesLength })
        {
            throw new ValidationException("notes", $"notes must be at most {MaxNotesLength} characters.");
        }

        if (IdempotencyKey is not null && (IdempotencyKey.Length is 0 or > MaxIdempotencyKeyLength))
        {
            throw new ValidationException("Idempotency-Key", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.");
        }
    }

    /// <summary>Whether an earlier attempt of this request may have run (and may still commit).</summary>
    public bool IsRetry => Attempt > 1;

    /// <summary>This attempt of the request, for the cart to refuse once a later attempt superseded it; null without a request id.</summary>
    public CheckoutAttempt? ThisAttempt => RequestId is { } id ? new CheckoutAttempt(id, Attempt) : null;

    /// <summary>The key the checkout is recorded under: the client's, else one derived from the request id.</summary>
    public string? RecordKey => IdempotencyKey ?? (RequestId is { } id ? $"auto:{id:N}" : null);

    /// <summary>What a repeated request must match to be the same request (the key itself aside).</summary>
    public string Fingerprint() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{ShippingAddressId}|{BillingAddressId ?? ShippingAddressId}|{WireNames.Of(PaymentMethod)}|{Notes}");
}

/// <summary>
/// The order a checkout created (and whether an earlier request with the same key created it), or the
/// business reason it was refused. Refusals are returned, not thrown: a sold-out answer under a flash
/// sale costs no exception on its way to the client.
/// </summary>
[GenerateSerializer, Immutable, Alias("Shop.CheckoutResult")]
public sealed record CheckoutResult(OrderDetails? Order, bool Replayed, ShopException? Rejection)
{
    public static CheckoutResult Created(OrderDetails order, bool replayed) => new(order, replayed, null);

    public static CheckoutResult Refused(ShopException rejection) => new(null, false, rejection);
}
