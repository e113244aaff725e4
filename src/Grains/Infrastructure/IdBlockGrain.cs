namespace Shop.Grains;

[GenerateSerializer, Alias("shop.id-block.v1")]
public sealed class IdBlockState
{
    [Id(0)] public long Next { get; set; } = 1;
}

public sealed class IdBlockGrain(
    [PersistentState("id-block", ShopStorage.State)] IPersistentState<IdBlockState> state) : Grain, IIdBlockGrain
{
    public async Task<IdBlock> ReserveAsync(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var block = new IdBlock(state.State.Next, count);
        state.State.Next += count;
        // The block is handed out only once it is durable, so a restarted silo never numbers from it again.
        await state.WriteStateAsync();
        return block;
    }
}
