using System.Collections.Immutable;

namespace Shop;

/// <summary>
/// A user's saved addresses, keyed by user id. Addresses are immutable once saved. The user's cart grain
/// keeps them, so a checkout reads them with the cart (<see cref="ICartGrain.StartCheckoutAsync"/>).
/// </summary>
[Alias("Shop.IAddressBookGrain")]
public interface IAddressBookGrain : IGrainWithStringKey
{
    Task<AddressDetails> AddAsync(NewAddress address);

    Task<ImmutableArray<AddressDetails>> ListAsync();
}
