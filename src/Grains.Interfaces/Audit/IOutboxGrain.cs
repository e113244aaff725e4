using System.Collections.Immutable;

namespace Shop;

/// <summary>What a committed transaction tells the read side: audit entries and changed order summaries.</summary>
[GenerateSerializer, Immutable, Alias("Shop.OutboxBatch")]
public sealed record OutboxBatch(ImmutableArray<AuditRecord> Audit, ImmutableArray<OrderSummary> Orders);

/// <summary>
/// A transactional outbox lane, keyed by lane number. Every transaction that changes stock or an order
/// appends its audit entries and order summaries here, so they commit or abort with it; the lane then
/// projects them into the audit log and the order index (the read model behind the admin listings and
/// statistics) and forgets them. Lanes spread the appends: none is on every checkout's path.
/// </summary>
[Alias("Shop.IOutboxGrain")]
public interface IOutboxGrain : IGrainWithIntegerKey
{
    [Transaction(TransactionOption.Join)]
    Task AppendAsync(OutboxBatch batch);

    /// <summary>Activates the lane (its timer then projects whatever it finds); nothing else.</summary>
    [AlwaysInterleave]
    Task WakeAsync();

    /// <summary>Projects everything committed so far; returns how many events it projected.</summary>
    Task<int> FlushAsync();
}
