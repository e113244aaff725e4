using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Transactions;
using Shop.Api.Errors;

namespace Shop.Tests.Api;

/// <summary>
/// A read that fails on a passing condition of the cluster (right after a silo died, a grain's lock is
/// held a few seconds by a prepared transaction its manager has yet to confirm) answers from a second
/// attempt instead of a 503; refusals and writes are never repeated.
/// </summary>
public sealed class TransientReadRetryFilterTests
{
    private readonly TransientReadRetryFilter filter = new(NullLogger<TransientReadRetryFilter>.Instance);

    [Fact]
    public async Task AReadWhoseLockCouldNotBeTakenInTimeAnswersFromItsNextAttempt()
    {
        var calls = 0;
        var answer = await filter.InvokeAsync(Context(HttpMethods.Get), _ =>
            ++calls == 1
                ? throw new OrleansTransactionTransientFailureException("tx", "lock not acquired in time")
                : ValueTask.FromResult<object?>("orders"));

        Assert.Equal("orders", answer);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task AReadThatKeepsFailingGivesUpAfterThreeAttempts()
    {
        var calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await filter.InvokeAsync(Context(HttpMethods.Get), _ =>
        {
            calls++;
            throw new TimeoutException("no answer");
        }));

        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ARefusalIsAnAnswerAndIsNotRepeated()
    {
        var calls = 0;
        await Assert.ThrowsAsync<OrleansTransactionAbortedException>(async () => await filter.InvokeAsync(Context(HttpMethods.Get), _ =>
        {
            calls++;
            throw new OrleansTransactionAbortedException("tx", "aborted", new NotFoundException("Order", 7));
        }));

        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task ARequestThatChangesSomethingIsNotRepeated()
    {
        var calls = 0;
        await Assert.ThrowsAsync<TimeoutException>(async () => await filter.InvokeAsync(Context(HttpMethods.Post), _ =>
        {
            calls++;
            throw new TimeoutException("no answer");
        }));

        Assert.Equal(1, calls);
    }

    private static EndpointFilterInvocationContext Context(string method) =>
        EndpointFilterInvocationContext.Create(new DefaultHttpContext { Request = { Method = method } });
}
