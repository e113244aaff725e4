namespace Shop.Grains;

/// <summary>
/// The checkout for an API that is an Orleans client of separate silos: a stateless worker (key 0) that
/// runs <see cref="CheckoutCoordinator"/> on a silo, so a buyer costs no activation of their own.
/// </summary>
/// <remarks>Reentrant: a checkout spends its time waiting for a batch to commit.</remarks>
[StatelessWorker]
[Reentrant]
public sealed class CheckoutGrain(CheckoutCoordinator coordinator) : Grain, ICheckoutGrain
{
    public Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request) => coordinator.CheckoutAsync(userId, request);

    public Task<OrderDetails?> SettleAsync(string userId, CheckoutRequest request) => coordinator.SettleAsync(userId, request);
}
