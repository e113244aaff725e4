using Shop.Grains;

namespace Shop.Api.Checkout;

/// <summary>
/// Runs a checkout request to an answer that is the request's only outcome. Where: in the request, when
/// the process hosts a silo (its <see cref="CheckoutCoordinator"/>; no grain call in between), or on a
/// silo's <see cref="ICheckoutGrain"/> when the process is an Orleans client of separate silos (settled
/// once at start-up). A call that times out or whose silo dies is tried again as the request's next
/// attempt; a request whose last attempt's outcome is still unknown is settled at the buyer's cart
/// before it is answered, so that a 503 means nothing was ordered.
/// </summary>
public sealed partial class CheckoutRunner(IGrainFactory grains, ILogger<CheckoutRunner> logger, CheckoutCoordinator? local = null)
{
    private const int Attempts = 4;

    public async Task<CheckoutResult> CheckoutAsync(string userId, CheckoutRequest request, CancellationToken aborted)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await RunAsync(userId, request with { Attempt = attempt });
                return result.Rejection is OutcomeUnknownException unknown
                    ? await SettleAsync(userId, request with { Attempt = attempt + 1 }, unknown)
                    : result;
            }
            catch (Exception exception) when (OutcomeUnknown(exception) && !aborted.IsCancellationRequested)
            {
                if (attempt == Attempts)
                {
                    return await SettleAsync(userId, request with { Attempt = attempt + 1 }, exception);
                }

                // The call timed out or its silo went away, not necessarily the checkout: it may still
                // commit. The retry (same request id, the next attempt number) first fences the earlier
                // attempts off at the user's cart, so that none of them can commit after it looked, then
                // returns the order one of them created, if any; else its own answer is the only one.
                await Task.Delay(TimeSpan.FromMilliseconds(500 * attempt), CancellationToken.None);
            }
        }
    }

    private Task<CheckoutResult> RunAsync(string userId, CheckoutRequest request) =>
        local?.CheckoutAsync(userId, request) ?? grains.GetGrain<ICheckoutGrain>(0).CheckoutAsync(userId, request);

    /// <summary>
    /// Fences off every attempt so far and answers with the order one of them created, or with "nothing was
    /// ordered"; only when the fence itself cannot be set in time does the answer say the outcome is unknown.
    /// </summary>
    private async Task<CheckoutResult> SettleAsync(string userId, CheckoutRequest settling, Exception cause)
    {
        LogSettling(logger, cause, settling.RequestId, settling.Attempt - 1);
        try
        {
            var order = await (local?.SettleAsync(userId, settling) ?? grains.GetGrain<ICheckoutGrain>(0).SettleAsync(userId, settling));
            return order is not null
                ? CheckoutResult.Created(order, replayed: false)
                : CheckoutResult.Refused(new ServiceUnavailableException("The checkout could not be completed in time. Nothing was ordered; please retry."));
        }
        catch (Exception exception) when (OutcomeUnknown(exception) || exception is ShopException)
        {
            LogUnsettled(logger, exception, settling.RequestId);
            return CheckoutResult.Refused(new OutcomeUnknownException(
                "The outcome of the checkout could not be established in time; retry with the same Idempotency-Key to learn it."));
        }
    }

    // Domain failures are ShopExceptions and answer at once; these mean the call's outcome is unknown.
    // (Orleans cancels a call that expired before its grain could be placed: while a dead silo still owns
    // the grain, say.)
    private static bool OutcomeUnknown(Exception exception) => exception is TimeoutException or OrleansException or OperationCanceledException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Checkout request {RequestId}: the outcome of attempt {Attempt} is unknown; settling it at the cart")]
    private static partial void LogSettling(ILogger logger, Exception exception, Guid? requestId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Checkout request {RequestId} could not be settled; answered that its outcome is unknown")]
    private static partial void LogUnsettled(ILogger logger, Exception exception, Guid? requestId);
}
