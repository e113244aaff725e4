using System.Text.Json.Serialization;

namespace Shop.Bench.Results;

/// <summary>Where and on what the benchmark ran, read at run time.</summary>
public sealed record MachineInfo(
    int Cores,
    string Cpu,
    [property: JsonPropertyName("memory_gib")] double MemoryGiB,
    string OperatingSystem,
    string Kernel,
    string Dotnet,
    string Postgres,
    string Redis,
    string Orleans,
    string Commit);
