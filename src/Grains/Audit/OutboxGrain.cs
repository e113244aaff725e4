using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.outbox.v1")]
public sealed class OutboxState
{
    [Id(0)] public long LastSequence { get; set; }

    [Id(1)] public List<OutboxEntry> Pending { get; set; } = [];
}

[GenerateSerializer, Immutable, Alias("shop.outbox-entry.v1")]
public sealed record OutboxEntry(long Sequence, OutboxBatch Batch);

/// <summary>
/// Reentrant so that appends from checkouts never wait behind a projection in progress; the
/// transactional state serializes the appends themselves.
/// </summary>
[Reentrant]
public sealed partial class OutboxGrain(
    [TransactionalState("outbox", ShopStorage.Transactions)] ITransactionalState<OutboxState> state,
    IShopReadModel readModel,
    TransactionRunner transactions,
    IOptions<OutboxOptions> options,
    ILogger<OutboxGrain> logger) : Grain, IOutboxGrain, IDeactivationAware, IDisposable
{
    // Signalled when deactivation begins (a silo shutting down, say). A look then makes no further attempt:
    // its read waits behind transactions whose managers may be deactivating too, and Orleans holds the
    // deactivation until the look ends (a silo's shutdown ran out of time on one such look, 2 x 15 s).
    private readonly CancellationTokenSource deactivating = new();

    // One projection at a time (the grain is reentrant, but its turns never run in parallel).
    private Task<int>? flushing;

    // When the lane looks. An append's transaction commits some time after the append itself (the rest
    // of the transaction runs first), so counting appends cannot tell when everything has been
    // projected: the lane looks while its last look found events, and less and less often for a settle
    // window after the last append. An activation starts looking too: a silo may have died with events
    // committed but not projected.
    private LookSchedule looks = null!;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        DeactivationNotices.Watch();
        looks = new LookSchedule(options.Value, DateTime.UtcNow);
        this.RegisterGrainTimer(
            FlushIfPendingAsync,
            new GrainTimerCreationOptions(options.Value.FlushInterval, options.Value.FlushInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task AppendAsync(OutboxBatch batch)
    {
        looks.Appended(DateTime.UtcNow);
        return state.PerformUpdate(s =>
        {
            s.LastSequence++;
            s.Pending.Add(new OutboxEntry(s.LastSequence, batch));
        });
    }

    public Task WakeAsync() => Task.CompletedTask;

    public void OnDeactivating(DeactivationReason reason) => deactivating.Cancel();

    /// <summary>Orleans disposes a grain after its deactivation.</summary>
    public void Dispose() => deactivating.Dispose();

    public async Task<int> FlushAsync()
    {
        while (flushing is { } running)
        {
            await running.ContinueWith(_ => { }, TaskScheduler.Current);
        }

        flushing = ProjectPendingAsync();
        try
        {
            return await flushing;
        }
        finally
        {
            flushing = null;
        }
    }

    private async Task<int> ProjectPendingAsync()
    {
        // A committed read: a transaction still running when it starts is either waited for or not seen.
        var pending = await transactions.RunAsync("reading the outbox", () => state.PerformRead(s => s.Pending.ToList()), deactivating.Token);
        if (pending.Count == 0)
        {
            return 0;
        }

        await readModel.ApplyAsync([.. pending.Select(e => e.Batch)]);
        var projectedUpTo = pending[^1].Sequence;
        await transactions.RunAsync("trimming the outbox", () => state.PerformUpdate(s => s.Pending.RemoveAll(e => e.Sequence <= projectedUpTo)), deactivating.Token);
        return pending.Sum(e => e.Batch.Audit.Length + e.Batch.Orders.Length);
    }

    private async Task FlushIfPendingAsync(CancellationToken cancellationToken)
    {
        if (!looks.IsDue(DateTime.UtcNow))
        {
            return;
        }

        try
        {
            var events = await FlushAsync();
            looks.Looked(DateTime.UtcNow, events);
        }
        catch (Exception exception)
        {
            // The events stay in the lane and the next looks try again until they are through.
            looks.Failed(DateTime.UtcNow);
            LogFlushFailed(logger, exception, this.GetPrimaryKeyLong());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox lane {Lane} could not project its events; will retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, long lane);
}
