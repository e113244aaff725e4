using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Api.Json;

/// <summary>Money is written with exactly two decimals (<c>150.00</c>); every decimal in this API is money.</summary>
public sealed class MoneyConverter : JsonConverter<decimal>
{
    public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDecimal();

    // Adding 0.00m raises the scale to at least two digits without changing the value.
    public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m);
}
