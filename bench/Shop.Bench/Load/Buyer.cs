using System.Net.Http.Headers;

namespace Shop.Bench.Load;

/// <summary>
/// A prepared buyer: its own user and token, an address, a cart holding <paramref name="Cart"/> (product
/// indexes, one unit each), and its checkout request body serialized once, before timing.
/// </summary>
public sealed record Buyer(int Index, string UserId, AuthenticationHeaderValue Authorization, byte[] CheckoutBody, string IdempotencyKey, int[] Cart);
