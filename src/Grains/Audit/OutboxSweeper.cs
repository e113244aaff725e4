using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Grains;

/// <summary>
/// Wakes every outbox lane from each silo now and then. A lane projects its own events, but only while
/// it is active: when a silo dies, its lanes' committed events wait in storage until something activates
/// them again, and this is that something. Off the checkout path: a few calls per interval per silo.
/// </summary>
public sealed partial class OutboxSweeper(
    IGrainFactory grains,
    IOptions<OutboxOptions> options,
    ILogger<OutboxSweeper> logger) : ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task? sweeping;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(OutboxSweeper), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        sweeping = SweepAsync(stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await stopping.CancelAsync();
        if (sweeping is not null)
        {
            await sweeping.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await Task.WhenAll(Enumerable.Range(0, options.Value.Lanes).Select(lane => grains.GetGrain<IOutboxGrain>(lane).WakeAsync()));
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    LogSweepFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public void Dispose() => stopping.Dispose();

    [LoggerMessage(Level = LogLevel.Debug, Message = "Waking the outbox lanes failed; the next sweep tries again")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
