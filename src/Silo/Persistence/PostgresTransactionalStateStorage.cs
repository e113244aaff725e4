using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Transactions;
using Orleans.Transactions.Abstractions;

namespace Shop.Silo.Persistence;

/// <summary>
/// One grain's transactional state in <c>shop_transactional_state</c>: the committed state, the prepared
/// (pending) states and the transaction manager's commit records, as one row written with an etag check.
/// The rules for applying a store (prepare, commit up to, abort after) are those of Orleans' own storage
/// contract; the difference from its generic wrapper is that the row goes through <see cref="StateBatcher"/>,
/// so stores of many grains share a round trip and a commit, that the record is kept in memory
/// between stores instead of being rebuilt from the last read, and that a store which changes only the
/// metadata (a read-only transaction's timestamp, a transaction manager's commit records) writes only
/// the metadata, not the states again, and nothing at all for a grain without a row yet.
/// </summary>
public sealed class PostgresTransactionalStateStorage<TState>(
    string stateName,
    string grainId,
    StateBatcher batcher,
    Serializer<TransactionalStateRecord<TState>> serializer,
    Serializer<TransactionalStateMetaData> metadataSerializer)
    : ITransactionalStateStorage<TState>
    where TState : class, new()
{
    private TransactionalStateRecord<TState> record = new();
    private long? etag;

    public async Task<TransactionalStorageLoadResponse<TState>> Load()
    {
        var row = await batcher.ReadAsync(stateName, grainId);
        if (row is null)
        {
            record = new TransactionalStateRecord<TState>();
            etag = null;
            return new TransactionalStorageLoadResponse<TState>();
        }

        record = serializer.Deserialize(row.Record) ?? throw new InvalidDataException($"Empty transactional state record for {stateName} of {grainId}.");
        if (row.Metadata is { } metadata)
        {
            // Stored after the record, by a store that changed nothing else.
            record.Metadata = metadataSerializer.Deserialize(metadata) ?? throw new InvalidDataException($"Empty transactional metadata for {stateName} of {grainId}.");
        }

        etag = row.Etag;
        return new TransactionalStorageLoadResponse<TState>(
            Format(etag), record.CommittedState, record.CommittedSequenceId, record.Metadata, record.PendingStates);
    }

    public async Task<string> Store(
        string? expectedETag,
        TransactionalStateMetaData metadata,
        List<PendingTransactionState<TState>>? statesToPrepare,
        long? commitUpTo,
        long? abortAfter)
    {
        if (expectedETag != Format(etag))
        {
            throw new ArgumentException($"Etag {expectedETag} does not match the stored {Format(etag)}.", nameof(expectedETag));
        }

        var next = Apply(record, metadata, statesToPrepare, commitUpTo, abortAfter);
        var onlyMetadata = statesToPrepare is null or [] && commitUpTo is null && abortAfter is null;
        if (onlyMetadata && etag is null && metadata.CommitRecords.Count == 0)
        {
            // A read of a grain that has never stored anything (an order id nobody was sold, a batch
            // number not yet used): nothing to keep but the read's timestamp, held here until the grain's
            // first real write stores it with the state. Without this, every such read made a row.
            record = next;
            return null!;
        }

        var nextEtag = (etag ?? 0) + 1;
        var write = etag is { } stored && onlyMetadata
            ? StateWrite.OfMetadata(stateName, grainId, stored, nextEtag, metadataSerializer.SerializeToArray(metadata))
            : new StateWrite(stateName, grainId, etag, nextEtag, serializer.SerializeToArray(next));
        if (!await batcher.WriteAsync(write))
        {
            throw new InconsistentStateException($"Transactional state {stateName} of {grainId} was written by another activation.", Format(etag), "unknown");
        }

        record = next;
        etag = nextEtag;
        return Format(etag)!;
    }

    private static TransactionalStateRecord<TState> Apply(
        TransactionalStateRecord<TState> stored,
        TransactionalStateMetaData metadata,
        List<PendingTransactionState<TState>>? statesToPrepare,
        long? commitUpTo,
        long? abortAfter)
    {
        var pending = new List<PendingTransactionState<TState>>(stored.PendingStates);
        if (abortAfter is { } abortFrom && pending.FindIndex(p => p.SequenceId > abortFrom) is var cut and >= 0)
        {
            pending.RemoveRange(cut, pending.Count - cut);
        }

        foreach (var prepared in statesToPrepare ?? [])
        {
            var position = pending.FindIndex(p => p.SequenceId >= prepared.SequenceId);
            if (position < 0)
            {
                pending.Add(prepared);
            }
            else if (pending[position].SequenceId == prepared.SequenceId)
            {
                pending[position] = prepared;
            }
            else
            {
                pending.Insert(position, prepared);
            }
        }

        var next = new TransactionalStateRecord<TState>
        {
            CommittedState = stored.CommittedState,
            CommittedSequenceId = stored.CommittedSequenceId,
            Metadata = metadata,
            PendingStates = pending,
        };

        if (commitUpTo is { } committed && committed > next.CommittedSequenceId)
        {
            var position = pending.FindIndex(p => p.SequenceId == committed);
            if (position < 0)
            {
                throw new InvalidOperationException($"Transactional state corrupted: no prepare record for committed sequence {committed}.");
            }

            next.CommittedSequenceId = pending[position].SequenceId;
            next.CommittedState = pending[position].State;
            pending.RemoveRange(0, position + 1);
        }

        return next;
    }

    private static string? Format(long? value) => value?.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Creates each grain's <see cref="PostgresTransactionalStateStorage{TState}"/>.</summary>
public sealed class PostgresTransactionalStateStorageFactory(StateBatcher batcher, IServiceProvider services) : ITransactionalStateStorageFactory
{
    public ITransactionalStateStorage<TState> Create<TState>(string stateName, IGrainContext context)
        where TState : class, new() =>
        new PostgresTransactionalStateStorage<TState>(
            stateName,
            context.GrainId.ToString(),
            batcher,
            services.GetRequiredService<Serializer<TransactionalStateRecord<TState>>>(),
            services.GetRequiredService<Serializer<TransactionalStateMetaData>>());
}
