using Microsoft.Extensions.Options;

namespace Shop.Grains;

public enum IdSequence
{
    Product,
    Order,
    Address,

    /// <summary>Numbers of batched sales; each names a range of order ids (<see cref="OrderIds"/>).</summary>
    OrderBatch,
}

public sealed class IdGeneratorOptions
{
    /// <summary>Ids a silo takes at a time per sequence; the block grain is called once per block.</summary>
    public int OrderBlockSize { get; set; } = 1000;

    public int OtherBlockSize { get; set; } = 50;
}

/// <summary>
/// Numbers orders, products and addresses from blocks reserved per silo (see <see cref="IIdBlockGrain"/>),
/// so no grain sits on every checkout's path.
/// </summary>
public sealed class IdGenerator(IGrainFactory grains, IOptions<IdGeneratorOptions> options)
{
    private readonly Sequence[] sequences = [.. Enum.GetValues<IdSequence>().Select(s => new Sequence(s))];

    public ValueTask<long> NextAsync(IdSequence sequence)
    {
        var state = sequences[(int)sequence];
        lock (state)
        {
            if (state.Next < state.End)
            {
                return ValueTask.FromResult(state.Next++);
            }
        }

        return RefillAndTakeAsync(state);
    }

    private async ValueTask<long> RefillAndTakeAsync(Sequence state)
    {
        await state.Refill.WaitAsync();
        try
        {
            lock (state)
            {
                if (state.Next < state.End)
                {
                    return state.Next++;
                }
            }

            var size = state.Name == IdSequence.Order ? options.Value.OrderBlockSize : options.Value.OtherBlockSize;
            var block = await grains.GetGrain<IIdBlockGrain>(WireNames.Of(state.Name)).ReserveAsync(size);
            lock (state)
            {
                state.Next = block.First + 1;
                state.End = block.First + block.Count;
                return block.First;
            }
        }
        finally
        {
            state.Refill.Release();
        }
    }

    private sealed class Sequence(IdSequence name)
    {
        public IdSequence Name { get; } = name;

        public SemaphoreSlim Refill { get; } = new(1, 1);

        public long Next { get; set; }

        public long End { get; set; }
    }
}
