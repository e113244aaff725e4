using System.Runtime.ExceptionServices;
using Orleans.Transactions;

namespace Shop.Grains;

/// <summary>
/// A business rule broken inside a transactional call reaches its caller as Orleans'
/// <see cref="OrleansTransactionAbortedException"/> with the rule's exception inside. Callers get the
/// rule's own exception instead. The transaction still aborts: the abort was recorded in the transaction
/// before the exception left the callee.
/// </summary>
public sealed class DomainExceptionCallFilter : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (OrleansTransactionAbortedException aborted) when (TransactionRunner.DomainFailure(aborted) is { } domain)
        {
            ExceptionDispatchInfo.Throw(domain);
        }
    }
}
