using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Transactions;
using Shop.Diagnostics;

namespace Shop.Grains;

public sealed class TransactionRetryOptions
{
    public int MaxAttempts { get; set; } = 6;

    /// <summary>No new attempt starts after this long, so a request is answered in bounded time.</summary>
    public TimeSpan AttemptWindow { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Attempts when the cause is the storage itself being unreachable (a database or socket error): one
    /// retry rides out a blip; more would only hold the caller while an outage lasts.
    /// </summary>
    public int MaxStorageAttempts { get; set; } = 2;

    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromMilliseconds(20);

    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>How long an in-doubt outcome is looked for in its idempotency record before giving up.</summary>
    /// <remarks>Long enough for the cluster to declare a crashed silo dead and recover its transactions.</remarks>
    public TimeSpan InDoubtResolution { get; set; } = TimeSpan.FromSeconds(25);
}

/// <summary>
/// Runs a body as one Orleans transaction and turns the outcome into what callers can act on: the result,
/// the domain exception that aborted it (never Orleans' wrapper), <see cref="ServiceUnavailableException"/> (nothing
/// committed) or <see cref="OutcomeUnknownException"/>.
/// Transient aborts (lock conflicts and timeouts, cascading aborts, overload, storage hiccups) are retried
/// with bounded, jittered exponential backoff. An in-doubt outcome is never guessed: the caller's
/// <c>resolve</c> looks up what the transaction would have recorded and reports the committed result, or
/// null when it did not commit, after which the body runs again.
/// </summary>
public sealed partial class TransactionRunner(
    ITransactionClient transactions,
    IOptions<TransactionRetryOptions> options,
    ShopMetrics metrics,
    ILogger<TransactionRunner> logger)
{
    /// <summary>
    /// Runs <paramref name="body"/>; an in-doubt outcome is reported as <see cref="OutcomeUnknownException"/>.
    /// Once <paramref name="giveUp"/> is signalled, a failed attempt is not tried again.
    /// </summary>
    public Task<T> RunAsync<T>(string operation, Func<Task<T>> body, CancellationToken giveUp = default) =>
        RunCoreAsync(operation, body, resolve: null, giveUp);

    /// <summary>
    /// Runs <paramref name="body"/>; an in-doubt outcome is settled by <paramref name="resolve"/> (null: not
    /// committed). Once <paramref name="giveUp"/> is signalled, a failed attempt is not tried again and an
    /// in-doubt one is not looked up: they end in <see cref="ServiceUnavailableException"/> and
    /// <see cref="OutcomeUnknownException"/>.
    /// </summary>
    public Task<T> RunAsync<T>(string operation, Func<Task<T>> body, Func<Task<T?>> resolve, CancellationToken giveUp = default)
        where T : class =>
        RunCoreAsync(operation, body, async () => await resolve() is { } found ? (true, found) : (false, default!), giveUp);

    private async Task<T> RunCoreAsync<T>(string operation, Func<Task<T>> body, Func<Task<(bool Committed, T Result)>>? resolve, CancellationToken giveUp = default)
    {
        var settings = options.Value;
        var started = DateTime.UtcNow;
        for (var attempt = 1; ; attempt++)
        {
            Exception failure;
            try
            {
                T result = default!;
                await transactions.RunTransaction(TransactionOption.Create, async () => result = await body());
                return result;
            }
            catch (Exception exception) when (DomainFailure(exception) is { } domain)
            {
                ExceptionDispatchInfo.Throw(domain);
                throw;
            }
            catch (Exception exception) when (IsInDoubt(exception))
            {
                LogInDoubt(logger, exception, operation, attempt);
                if (resolve is null || giveUp.IsCancellationRequested)
                {
                    throw new OutcomeUnknownException($"The outcome of {operation} is not known yet. Check its state before trying again.");
                }

                // Only checkouts settle their outcome through a record.
                metrics.CheckoutInDoubt(operation);

                var (committed, result) = await ResolveInDoubtAsync(resolve, settings, giveUp);
                if (committed)
                {
                    return result;
                }

                failure = exception;
            }
            catch (Exception exception) when (IsTransient(exception))
            {
                failure = exception;
            }

            if (StorageUnreachable(failure) && attempt >= settings.MaxStorageAttempts)
            {
                LogGaveUp(logger, failure, operation, attempt);
                throw new ServiceUnavailableException($"The shop's storage is unavailable, so {operation} could not complete. Nothing was changed; please retry.");
            }

            if (attempt >= settings.MaxAttempts || DateTime.UtcNow - started > settings.AttemptWindow || giveUp.IsCancellationRequested)
            {
                LogGaveUp(logger, failure, operation, attempt);
                throw new ServiceUnavailableException($"The service is busy and could not complete {operation}. Nothing was changed; please retry.");
            }

            LogRetry(logger, failure, operation, attempt);
            metrics.TransactionRetried(operation);
            // Not cut short by giveUp: the backoff is under a second, and the next failure checks it.
            await Task.Delay(Backoff(attempt, settings), CancellationToken.None);
        }
    }

    /// <summary>The business exception that aborted a transaction, unwrapped from Orleans' abort wrappers.</summary>
    public static ShopException? DomainFailure(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ShopException domain)
            {
                return domain;
            }
        }

        return null;
    }

    private static bool IsInDoubt(Exception exception) =>
        exception is OrleansTransactionInDoubtException or TimeoutException;

    // An aborted transaction leaves nothing behind, so running it again is safe whenever the cause can pass:
    // lock conflicts, overload, an unreachable participant or storage. An abort caused by a bug in the body
    // (say, a NullReferenceException) is not retried but surfaces as it is.
    private static bool IsTransient(Exception exception) => exception switch
    {
        OrleansTransactionTransientFailureException => true,
        OrleansTransactionAbortedException { InnerException: { } cause } => IsInfrastructure(cause),
        OrleansException => true,
        _ => false,
    };

    private static bool IsInfrastructure(Exception cause) =>
        cause is OrleansException or TimeoutException or System.Data.Common.DbException or IOException or OperationCanceledException;

    /// <summary>Whether the abort goes back to the database or the network being unreachable.</summary>
    private static bool StorageUnreachable(Exception exception) => exception switch
    {
        System.Data.Common.DbException or System.Net.Sockets.SocketException => true,
        AggregateException aggregate => aggregate.InnerExceptions.Any(StorageUnreachable),
        { InnerException: { } inner } => StorageUnreachable(inner),
        _ => false,
    };

    private static async Task<(bool Committed, T Result)> ResolveInDoubtAsync<T>(Func<Task<(bool, T)>> resolve, TransactionRetryOptions settings, CancellationToken giveUp)
    {
        // A transactional read of the record waits for any transaction still holding it, so "not found"
        // means the in-doubt transaction did not commit there and cannot commit any more.
        var deadline = DateTime.UtcNow + settings.InDoubtResolution;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await resolve();
            }
            catch (Exception exception) when (DomainFailure(exception) is null && DateTime.UtcNow < deadline && !giveUp.IsCancellationRequested)
            {
                await Task.Delay(Backoff(attempt, settings), CancellationToken.None);
            }
            catch (Exception exception) when (DomainFailure(exception) is null)
            {
                throw new OutcomeUnknownException("The outcome of the request could not be established yet; retry with the same Idempotency-Key.");
            }
        }
    }

    private static TimeSpan Backoff(int attempt, TransactionRetryOptions settings)
    {
        var ceiling = Math.Min(settings.MaxDelay.TotalMilliseconds, settings.BaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Retrying {Operation} after attempt {Attempt} failed")]
    private static partial void LogRetry(ILogger logger, Exception exception, string operation, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Operation} is in doubt after attempt {Attempt}; resolving it through its record")]
    private static partial void LogInDoubt(ILogger logger, Exception exception, string operation, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Gave up on {Operation} after {Attempt} attempts")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string operation, int attempt);
}
