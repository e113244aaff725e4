using System.Collections.Immutable;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.address-book.v1")]
public sealed class AddressBookState
{
    [Id(0)] public List<AddressDetails> Addresses { get; set; } = [];
}

/// <summary>
/// A user's saved addresses: plain persistent state, because addresses never change once saved and a
/// checkout copies the one it uses into the order, so nothing here needs to take part in a transaction.
/// Kept by the user's <see cref="CartGrain"/> (behind <see cref="IAddressBookGrain"/>), so that a
/// checkout reads the cart and its addresses in one call.
/// </summary>
internal sealed class AddressBook(IPersistentState<AddressBookState> state, IdGenerator ids)
{
    public async Task<AddressDetails> AddAsync(NewAddress address)
    {
        var valid = AddressRules.Validate(address);
        if (state.State.Addresses.Count >= AddressRules.MaxAddressesPerUser)
        {
            throw new ValidationException("address", $"An address book holds at most {AddressRules.MaxAddressesPerUser} addresses.");
        }

        var id = await ids.NextAsync(IdSequence.Address);
        var saved = new AddressDetails(
            id,
            valid.FullName.Trim(),
            valid.Line1.Trim(),
            string.IsNullOrWhiteSpace(valid.Line2) ? null : valid.Line2.Trim(),
            valid.City.Trim(),
            valid.PostalCode.Trim(),
            valid.Country,
            string.IsNullOrWhiteSpace(valid.Phone) ? null : valid.Phone.Trim(),
            DateTime.UtcNow);
        state.State.Addresses.Add(saved);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not saved: the book is as it was (a retry of the request gets another id).
            state.State.Addresses.Remove(saved);
            throw;
        }

        return saved;
    }

    public ImmutableArray<AddressDetails> List() => [.. state.State.Addresses];

    /// <exception cref="NotFoundException">The user has no address with this id.</exception>
    public AddressDetails Get(long addressId) =>
        state.State.Addresses.Find(a => a.Id == addressId) ?? throw new NotFoundException("Address", addressId);
}
