using System.Text.Json;
using System.Text.Json.Serialization;

namespace Shop.Bench.Results;

/// <summary>The machine-readable result: snake_case JSON, indented.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(BenchResult))]
public sealed partial class ResultJson : JsonSerializerContext
{
    public static async Task WriteAsync(BenchResult result, string path, CancellationToken cancellation)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await using var file = File.Create(path);
        await JsonSerializer.SerializeAsync(file, result, Default.BenchResult, cancellation);
    }

    public static async Task<BenchResult> ReadAsync(string path, CancellationToken cancellation)
    {
        await using var file = File.OpenRead(path);
        return await JsonSerializer.DeserializeAsync(file, Default.BenchResult, cancellation)
            ?? throw new InvalidDataException($"{path} holds no benchmark result.");
    }
}
