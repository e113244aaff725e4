namespace Shop;

/// <summary>A contiguous block of ids: <c>First</c> .. <c>First + Count - 1</c>.</summary>
[GenerateSerializer, Immutable, Alias("Shop.IdBlock")]
public sealed record IdBlock(long First, int Count);

/// <summary>
/// Hands out blocks of ids for one sequence (orders, products, addresses), keyed by sequence name. Each
/// silo takes a block at a time and numbers from it locally, so this grain is called once per block, not
/// once per order. Ids are never reused; a silo that stops leaves the rest of its block unused.
/// </summary>
[Alias("Shop.IIdBlockGrain")]
public interface IIdBlockGrain : IGrainWithStringKey
{
    Task<IdBlock> ReserveAsync(int count);
}
