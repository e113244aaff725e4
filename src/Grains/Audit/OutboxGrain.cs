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
    ILogger<OutboxGrain> logger) : Grain, IOutboxGrain
{
    // One projection at a time (the grain is reentrant, but its turns never run in parallel).
    private Task<int>? flushing;

    // Appends seen by this activation, and how many of them a projection has covered. They start apart
    // because a silo may have died with events pending, so the first tick after activation looks.
    private long appendsSeen = 1;
    private long appendsProjected;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        this.RegisterGrainTimer(
            FlushIfPendingAsync,
            new GrainTimerCreationOptions(options.Value.FlushInterval, options.Value.FlushInterval) { Interleave = true });
        return Task.CompletedTask;
    }

    public Task AppendAsync(OutboxBatch batch)
    {
        appendsSeen++;
        return state.PerformUpdate(s =>
        {
            s.LastSequence++;
            s.Pending.Add(new OutboxEntry(s.LastSequence, batch));
        });
    }

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
        var seen = appendsSeen;
        var pending = await transactions.RunAsync("reading the outbox", () => state.PerformRead(s => s.Pending.ToList()));
        if (pending.Count > 0)
        {
            await readModel.ApplyAsync([.. pending.Select(e => e.Batch)]);
            var projectedUpTo = pending[^1].Sequence;
            await transactions.RunAsync("trimming the outbox", () => state.PerformUpdate(s => s.Pending.RemoveAll(e => e.Sequence <= projectedUpTo)));
        }

        appendsProjected = seen;
        return pending.Sum(e => e.Batch.Audit.Length + e.Batch.Orders.Length);
    }

    private async Task FlushIfPendingAsync(CancellationToken cancellationToken)
    {
        if (appendsSeen == appendsProjected)
        {
            return;
        }

        try
        {
            await FlushAsync();
        }
        catch (Exception exception)
        {
            // The events stay in the lane and the next tick tries again.
            LogFlushFailed(logger, exception, this.GetPrimaryKeyLong());
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox lane {Lane} could not project its events; will retry")]
    private static partial void LogFlushFailed(ILogger logger, Exception exception, long lane);
}
