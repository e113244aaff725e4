using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Api.Json;

/// <summary>Timestamps are ISO-8601 UTC with a <c>Z</c>, to the second: <c>2025-11-02T10:30:00Z</c>.</summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTime>
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    public override DateTime Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTime().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTime value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString(Format, CultureInfo.InvariantCulture));
}
