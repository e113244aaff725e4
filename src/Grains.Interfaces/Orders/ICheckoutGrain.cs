namespace Shop;

/// <summary>
/// The checkout entry point of an API that is a client of the silos (an API that hosts a silo runs the
/// same code in the request, without this call): runs a user's checkout as one Orleans transaction (or
/// hands it to a batch that does), retries transient aborts, and settles an in-doubt outcome through the
/// idempotency record. A stateless worker (key 0): it holds nothing of the user's, so a buyer costs no
/// activation of their own, and a refused checkout (sold out) costs the cart's and the addresses' reads
/// and nothing more.
/// A user's concurrent checkouts are lined up where their state is: their cart takes part in each
/// checkout's transaction, so requests that share an Idempotency-Key create one order between them.
/// </summary>
[Alias("Shop.ICheckoutGrain")]
public interface ICheckoutGrain : IGrainWithIntegerKey
{
    Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request);

    /// <summary>
    /// Settles a checkout request whose last attempt's outcome is unknown (its call timed out, its silo
    /// died, its transaction stayed in doubt): fences off every attempt before <paramref name="request"/>'s
    /// at the user's cart, then returns the order one of them created, or null: none did, and none can any more.
    /// </summary>
    Task<OrderDetails?> SettleAsync(string userId, CheckoutRequest request);
}
