using Shop.Bench.Load;

namespace Shop.Bench.Results;

/// <summary>
/// The HTTP floor (<see cref="Running.HttpFloor"/>): sold-out answers per second from an ASP.NET Core process that does
/// nothing else, with this benchmark's load generator, on this machine; its latency, and the CPU it and the load took.
/// </summary>
public sealed record FloorResult(
    int Requests,
    int Concurrency,
    double AnswersPerSecond,
    LatencySummary Latency,
    int Errors,
    double ServerSeconds,
    double LoadGeneratorSeconds);
