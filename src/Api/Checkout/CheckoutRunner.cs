using Shop.Grains;

namespace Shop.Api.Checkout;

/// <summary>
/// Where this API runs a checkout, settled once at start-up: in the request, when the process hosts a silo
/// (its <see cref="CheckoutCoordinator"/>; no grain call in between), or on a silo's
/// <see cref="ICheckoutGrain"/> when the process is an Orleans client of separate silos.
/// </summary>
public sealed class CheckoutRunner(IGrainFactory grains, CheckoutCoordinator? local = null)
{
    public Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request) =>
        local?.CheckoutAsync(userId, request) ?? grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(userId, request);
}
