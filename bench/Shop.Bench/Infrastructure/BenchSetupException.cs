namespace Shop.Bench.Infrastructure;

/// <summary>The benchmark cannot start or continue (missing binaries, a server that did not come up): said plainly, without a stack trace.</summary>
public sealed class BenchSetupException(string message) : Exception(message);
