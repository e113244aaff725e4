using System.Text.Json.Serialization;
using Shop.Bench.Load;
using Shop.Bench.Measurement;
using Shop.Bench.Running;

namespace Shop.Bench.Results;

/// <summary>
/// One scenario (or sweep level) on one target. <see cref="Failure"/> is set when the run could not be
/// carried out; <see cref="Load"/> and the rest are then null. CPU is measured over the timed phase
/// only; peak memory is the peak resident set of the target's own processes (VmHWM), in MiB. <see cref="Gc"/>:
/// Shop's garbage collections and pause time over the timed phase (none for the baseline). <see cref="Repetition"/>:
/// which of the scenario's repeated runs on this target it was (1-based; null when it ran once).
/// </summary>
public sealed record RunResult(
    string Scenario,
    string Label,
    string Target,
    int Concurrency,
    int Buyers,
    int Products,
    int LinesPerCart,
    int StockPerProduct,
    double PreparationSeconds,
    LoadSummary? Load,
    Verification? Verification,
    CpuUsage? Cpu,
    double? CpuSecondsPerCheckout,
    [property: JsonPropertyName("peak_memory_mib")] IReadOnlyDictionary<string, double>? PeakMemoryMiB,
    [property: JsonPropertyName("peak_memory_mib_total")] double? PeakMemoryMiBTotal,
    string? Failure,
    WarmupResult? Warmup = null,
    GcUsage? Gc = null,
    int? Repetition = null)
{
    public bool Passed => Failure is null && Verification is { Passed: true };

    public static RunResult Failed(Scenario scenario, string target, double preparationSeconds, string failure) => new(
        scenario.Name, scenario.Label, target, scenario.Concurrency, scenario.Buyers, scenario.Products, scenario.LinesPerCart,
        scenario.StockPerProduct, preparationSeconds, null, null, null, null, null, null, failure);
}
