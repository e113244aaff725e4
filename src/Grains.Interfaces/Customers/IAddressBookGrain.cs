using System.Collections.Immutable;

namespace Shop;

/// <summary>A user's saved addresses, keyed by user id. Addresses are immutable once saved.</summary>
[Alias("Shop.IAddressBookGrain")]
public interface IAddressBookGrain : IGrainWithStringKey
{
    Task<AddressDetails> AddAsync(NewAddress address);

    Task<ImmutableArray<AddressDetails>> ListAsync();

    /// <exception cref="NotFoundException">The user has no address with this id.</exception>
    Task<AddressDetails> GetAsync(long addressId);
}
