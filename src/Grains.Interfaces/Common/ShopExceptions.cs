namespace Shop;

/// <summary>
/// A broken business rule. These cross the grain boundary (also out of an aborted transaction, as the
/// inner exception of Orleans' abort wrapper) and the API maps each kind to one problem-details status.
/// </summary>
[GenerateSerializer, Alias("Shop.ShopException")]
public abstract class ShopException(string message) : Exception(message);

/// <summary>Bad input: 400, with the offending field named.</summary>
[GenerateSerializer, Alias("Shop.ValidationException")]
public sealed class ValidationException(string field, string message) : ShopException(message)
{
    [Id(0)] public string Field { get; } = field;
}

/// <summary>Checkout of an empty cart: 400.</summary>
[GenerateSerializer, Alias("Shop.EmptyCartException")]
public sealed class EmptyCartException() : ShopException("Cart is empty. Add items before checkout.");

/// <summary>An unknown (or someone else's) product, order or address: 404.</summary>
[GenerateSerializer, Alias("Shop.NotFoundException")]
public sealed class NotFoundException(string kind, string id) : ShopException($"{kind} {id} not found.")
{
    public NotFoundException(string kind, long id) : this(kind, id.ToString(System.Globalization.CultureInfo.InvariantCulture))
    {
    }

    [Id(0)] public string Kind { get; } = kind;

    [Id(1)] public string EntityId { get; } = id;
}

/// <summary>A request that conflicts with the current state: 409.</summary>
[GenerateSerializer, Alias("Shop.ConflictException")]
public class ConflictException(string message) : ShopException(message);

[GenerateSerializer, Alias("Shop.InsufficientStockException")]
public sealed class InsufficientStockException(long productId, string productName, int available, int requested)
    : ConflictException($"Insufficient stock for '{productName}'. Available: {available}, Requested: {requested}")
{
    [Id(0)] public long ProductId { get; } = productId;

    [Id(1)] public int Available { get; } = available;

    [Id(2)] public int Requested { get; } = requested;
}

[GenerateSerializer, Alias("Shop.IdempotencyKeyReusedException")]
public sealed class IdempotencyKeyReusedException()
    : ConflictException("Idempotency-Key was already used with different request parameters.");

/// <summary>
/// An attempt of a checkout that a later attempt of the same request superseded (its caller gave up on it
/// and retried): it may not book the cart any more. Only that abandoned caller could see it; 409 if one does.
/// </summary>
[GenerateSerializer, Alias("Shop.CheckoutSupersededException")]
public sealed class CheckoutSupersededException()
    : ConflictException("A later attempt of this checkout request superseded this one; that attempt's answer stands.");

/// <summary>
/// The request could not be completed in time (storage down, cluster overloaded) and changed nothing: 503.
/// </summary>
[GenerateSerializer, Alias("Shop.ServiceUnavailableException")]
public sealed class ServiceUnavailableException(string message) : ShopException(message);

/// <summary>
/// Whether the request's transaction committed could not be established in time (its manager's silo
/// died, say): 503. A checkout's caller settles it at the buyer's cart (<see cref="ICheckoutGrain.SettleAsync"/>)
/// before answering; a retry with the same Idempotency-Key is safe either way.
/// </summary>
[GenerateSerializer, Alias("Shop.OutcomeUnknownException")]
public sealed class OutcomeUnknownException(string message) : ShopException(message);
