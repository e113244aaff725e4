using System.Collections.Concurrent;

namespace Shop.Grains;

/// <summary>The rows of <see cref="ICheckoutWaits"/> in memory, for the embedded mode and the tests (as durable as its other storage).</summary>
public sealed class InMemoryCheckoutWaits : ICheckoutWaits
{
    private readonly ConcurrentDictionary<string, (BatchCheckout? Waiting, long Version)> rows = new(StringComparer.Ordinal);

    public Task<(BatchCheckout? Waiting, long? Version)> ReadAsync(string userId) =>
        Task.FromResult(rows.TryGetValue(userId, out var row) ? (row.Waiting, (long?)row.Version) : (null, null));

    public Task<bool> WriteAsync(string userId, BatchCheckout? waiting, long? expected, long version) => Task.FromResult(expected is { } previous
        ? rows.TryGetValue(userId, out var row) && row.Version == previous && rows.TryUpdate(userId, (waiting, version), row)
        : rows.TryAdd(userId, (waiting, version)));
}
