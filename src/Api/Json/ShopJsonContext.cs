using System.Text.Json;
using System.Text.Json.Serialization;
using Shop.Api.Addresses;
using Shop.Api.Audit;
using Shop.Api.Auth;
using Shop.Api.Carts;
using Shop.Api.Checkout;
using Shop.Api.Health;
using Shop.Api.Inventory;
using Shop.Api.Orders;
using Shop.Api.Products;
using Shop.Api.Validation;

namespace Shop.Api.Json;

/// <summary>Source-generated serialization for every request and response: snake_case, money with two decimals, UTC timestamps.</summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.Strict,
    Converters = [typeof(MoneyConverter), typeof(UtcTimestampConverter)])]
[JsonSerializable(typeof(TokenRequest))]
[JsonSerializable(typeof(TokenResponse))]
[JsonSerializable(typeof(CreateProductRequest))]
[JsonSerializable(typeof(UpdateProductRequest))]
[JsonSerializable(typeof(ProductResponse))]
[JsonSerializable(typeof(PageResponse<ProductResponse>))]
[JsonSerializable(typeof(AdjustmentRequest))]
[JsonSerializable(typeof(InventoryResponse))]
[JsonSerializable(typeof(PageResponse<InventoryResponse>))]
[JsonSerializable(typeof(AddCartItemRequest))]
[JsonSerializable(typeof(SetCartItemRequest))]
[JsonSerializable(typeof(CartResponse))]
[JsonSerializable(typeof(CreateAddressRequest))]
[JsonSerializable(typeof(AddressResponse))]
[JsonSerializable(typeof(AddressListResponse))]
[JsonSerializable(typeof(CheckoutRequestBody))]
[JsonSerializable(typeof(OrderResponse))]
[JsonSerializable(typeof(PageResponse<OrderSummaryResponse>))]
[JsonSerializable(typeof(UpdateOrderRequest))]
[JsonSerializable(typeof(OrderStatisticsResponse))]
[JsonSerializable(typeof(PageResponse<AuditEntryResponse>))]
[JsonSerializable(typeof(HealthResponse))]
public sealed partial class ShopJsonContext : JsonSerializerContext;
