using System.Collections.Immutable;

namespace Shop.Grains;

[GenerateSerializer, Alias("shop.address-book.v1")]
public sealed class AddressBookState
{
    [Id(0)] public List<AddressDetails> Addresses { get; set; } = [];
}

/// <summary>
/// Plain persistent state: addresses never change once saved, and a checkout copies the one it uses
/// into the order, so nothing here needs to take part in a transaction.
/// </summary>
public sealed class AddressBookGrain(
    [PersistentState("address-book", ShopStorage.State)] IPersistentState<AddressBookState> state,
    IdGenerator ids) : Grain, IAddressBookGrain
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
        await state.WriteStateAsync();
        return saved;
    }

    public Task<ImmutableArray<AddressDetails>> ListAsync() => Task.FromResult(state.State.Addresses.ToImmutableArray());

    public Task<AddressDetails> GetAsync(long addressId) =>
        state.State.Addresses.Find(a => a.Id == addressId) is { } address
            ? Task.FromResult(address)
            : throw new NotFoundException("Address", addressId);
}
