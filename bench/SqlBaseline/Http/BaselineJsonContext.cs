using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.SqlBaseline.Auth;
using Shop.SqlBaseline.Catalog;
using Shop.SqlBaseline.Checkout;
using Shop.SqlBaseline.Customers;
using Shop.SqlBaseline.Database;

namespace Shop.SqlBaseline.Http;

/// <summary>Source-generated serialization of every request and response, in the contract's snake_case.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    Converters = [typeof(MoneyConverter), typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateProductRequest))]
[JsonSerializable(typeof(ProductResponse))]
[JsonSerializable(typeof(InventoryResponse))]
[JsonSerializable(typeof(CreateAddressRequest))]
[JsonSerializable(typeof(AddressResponse))]
[JsonSerializable(typeof(AddCartItemRequest))]
[JsonSerializable(typeof(CartResponse))]
[JsonSerializable(typeof(CheckoutRequest))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(SortedDictionary<string, string>))]
public sealed partial class BaselineJsonContext : JsonSerializerContext;
