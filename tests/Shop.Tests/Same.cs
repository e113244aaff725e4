using System.Text.Json;

namespace Shop.Tests;

/// <summary>Records holding immutable collections compare those by reference; this compares by content.</summary>
public static class Same
{
    private static readonly JsonSerializerOptions Options = new() { WriteIndented = false };

    public static void Equal<T>(T expected, T actual) =>
        Assert.Equal(JsonSerializer.Serialize(expected, Options), JsonSerializer.Serialize(actual, Options));
}
