using Orleans.Serialization;
using Shop.Grains;

namespace Shop.Silo.Persistence;

/// <summary>
/// The rows of <see cref="ICheckoutWaits"/> in <c>shop_transactional_state</c> (state <c>cart-waiting</c>, keyed by
/// user id), written by the silo's <see cref="StateBatcher"/> in the same batched statements as the transactional
/// state, with the same version check. An empty record means the cart waits on nothing.
/// </summary>
public sealed class PostgresCheckoutWaits(StateBatcher batcher, Serializer serializer) : ICheckoutWaits
{
    private const string StateName = "cart-waiting";

    public async Task<(BatchCheckout? Waiting, long? Version)> ReadAsync(string userId) =>
        await batcher.ReadAsync(StateName, userId) is { } row
            ? (row.Record.Length == 0 ? null : serializer.Deserialize<BatchCheckout>(row.Record), row.Etag)
            : (null, null);

    public Task<bool> WriteAsync(string userId, BatchCheckout? waiting, long? expected, long version) =>
        batcher.WriteAsync(new StateWrite(StateName, userId, expected, version, waiting is null ? [] : serializer.SerializeToArray(waiting)));
}
