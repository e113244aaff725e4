namespace Shop;

/// <summary>
/// The checkout entry point for one user, keyed by user id. Runs the whole checkout as one Orleans
/// transaction, retries transient aborts, and settles an in-doubt outcome through the idempotency record.
/// One activation per user also lines up that user's concurrent checkouts, so requests that share an
/// Idempotency-Key create one order between them.
/// </summary>
[Alias("Shop.ICheckoutGrain")]
public interface ICheckoutGrain : IGrainWithStringKey
{
    Task<CheckoutResult> CheckoutAsync(CheckoutRequest request);
}
