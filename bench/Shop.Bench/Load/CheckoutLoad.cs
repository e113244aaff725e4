using System.Diagnostics;
using System.Text;

namespace Shop.Bench.Load;

/// <summary>
/// The timed phase (or the warm-up before it): <c>concurrency</c> workers, each taking the next prepared
/// buyer and sending its checkout (pre-serialized body, the buyer's token and Idempotency-Key) until every
/// buyer has been sent. Worker <c>i</c> sends through entrance <c>i mod n</c> (a process serving the API),
/// as a load balancer spreads connections.
/// </summary>
public sealed class CheckoutLoad(IReadOnlyList<HttpClient> entrances, IReadOnlyList<Buyer> buyers, int concurrency, LiveStatus status, string phase = LiveStatus.CheckoutPhase)
{
    private static readonly byte[] InsufficientStock = "Insufficient stock"u8.ToArray();

    private static readonly Uri Checkout = new("/api/checkout", UriKind.Relative);
    private int next = -1;

    public async Task<LoadRecord> RunAsync(CancellationToken cancellation)
    {
        status.StartPhase(phase, buyers.Count);
        var record = new LoadRecord(buyers.Count) { Origin = Stopwatch.GetTimestamp() };
        var workers = new Task[concurrency];
        for (var i = 0; i < workers.Length; i++)
        {
            var http = entrances[i % entrances.Count];
            workers[i] = Task.Run(() => WorkAsync(http, record, cancellation), cancellation);
        }

        await Task.WhenAll(workers);
        record.Finished = Stopwatch.GetTimestamp();
        return record;
    }

    private async Task WorkAsync(HttpClient http, LoadRecord record, CancellationToken cancellation)
    {
        for (var i = Interlocked.Increment(ref next); i < buyers.Count; i = Interlocked.Increment(ref next))
        {
            cancellation.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            var (outcome, code, failure) = await CheckoutAsync(http, buyers[i], cancellation);
            record.Set(i, outcome, code, started, Stopwatch.GetTimestamp(), failure);
            status.Record(outcome);
        }
    }

    private static async Task<(Outcome Outcome, short Status, string? Failure)> CheckoutAsync(HttpClient http, Buyer buyer, CancellationToken cancellation)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Checkout) { Content = new ByteArrayContent(buyer.CheckoutBody) };
        request.Content.Headers.TryAddWithoutValidation("Content-Type", "application/json");
        request.Headers.Authorization = buyer.Authorization;
        request.Headers.TryAddWithoutValidation("Idempotency-Key", buyer.IdempotencyKey);
        try
        {
            using var response = await http.SendAsync(request, cancellation);
            var code = (short)response.StatusCode;
            if (code == 201)
            {
                return (Outcome.Success, code, null);
            }

            var body = await response.Content.ReadAsByteArrayAsync(cancellation);
            if (code == 409 && body.AsSpan().IndexOf(InsufficientStock) >= 0)
            {
                return (Outcome.SoldOut, code, null);
            }

            return (code >= 500 ? Outcome.Unknown : Outcome.Rejected, code, Encoding.UTF8.GetString(body));
        }
        catch (TaskCanceledException) when (!cancellation.IsCancellationRequested)
        {
            return (Outcome.Unknown, 0, $"timeout: no answer within {http.Timeout.TotalSeconds:F0} s");
        }
        catch (HttpRequestException e)
        {
            return (Outcome.Unknown, 0, $"transport: {e.Message}");
        }
    }
}
