namespace Shop.Api.Errors;

/// <summary>
/// A GET changes nothing, so one that failed on a passing condition of the cluster is tried again,
/// briefly, before the client is told 503: a transactional read that could not take its grain's lock in
/// time (right after a silo died, the grain's new activation holds the dead silo's prepared record until
/// its transaction manager confirms it, a few seconds), a call that timed out, or one whose silo just
/// went away. Refusals (404, 400, 409) are answers, not failures, and are never repeated; nor is any
/// request that changes something (a checkout settles its own retries by its idempotency record).
/// </summary>
public sealed partial class TransientReadRetryFilter(ILogger<TransientReadRetryFilter> logger) : IEndpointFilter
{
    /// <summary>Three attempts: a lock wait is at most a few seconds (Shop:Transactions:State:LockAcquireTimeout).</summary>
    private const int Attempts = 3;

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next) =>
        HttpMethods.IsGet(context.HttpContext.Request.Method) ? ReadAsync(context, next) : next(context);

    private async ValueTask<object?> ReadAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await next(context);
            }
            catch (Exception exception) when (attempt < Attempts && ShopExceptionHandler.IsTransientFailure(exception) && !http.RequestAborted.IsCancellationRequested)
            {
                LogRetry(logger, http.Request.Path, attempt, exception.GetType().Name, exception.Message);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), http.RequestAborted);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "GET {Path} failed on attempt {Attempt} ({ExceptionType}: {ExceptionMessage}); trying again")]
    private static partial void LogRetry(ILogger logger, string path, int attempt, string exceptionType, string exceptionMessage);
}

public static class TransientReadRetryExtensions
{
    /// <summary>Every GET under <paramref name="group"/> is retried on a transient failure (<see cref="TransientReadRetryFilter"/>).</summary>
    public static RouteGroupBuilder WithTransientReadRetry(this RouteGroupBuilder group) => group.AddEndpointFilter<TransientReadRetryFilter>();
}
