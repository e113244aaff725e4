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

    [Theory]
    [InlineData("GET", 3)]
    [InlineData("POST", 1)]
    public async Task ATimeoutIsTriedThreeTimesOnAReadAndOnceOnARequestThatChangesSomething(string method, int attempts)
    {
        Assert.Equal(attempts, await CallsUntilItThrowsAsync<TimeoutException>(method, () => new TimeoutException("no answer")));
    }

    [Fact]
    public async Task ARefusalIsAnAnswerAndIsNotRepeated()
    {
        Assert.Equal(1, await CallsUntilItThrowsAsync<OrleansTransactionAbortedException>(
            HttpMethods.Get, () => new OrleansTransactionAbortedException("tx", "aborted", new NotFoundException("Order", 7))));
    }

    /// <summary>How many times the filter called an endpoint that always throws, before the failure reached the client.</summary>
    private async Task<int> CallsUntilItThrowsAsync<TException>(string method, Func<Exception> failure)
        where TException : Exception
    {
        var calls = 0;
        await Assert.ThrowsAsync<TException>(async () => await filter.InvokeAsync(Context(method), _ =>
        {
            calls++;
            throw failure();
        }));
        return calls;
    }

    private static EndpointFilterInvocationContext Context(string method) =>
        EndpointFilterInvocationContext.Create(new DefaultHttpContext { Request = { Method = method } });
}
