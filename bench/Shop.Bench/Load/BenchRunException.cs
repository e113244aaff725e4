namespace Shop.Bench.Load;

/// <summary>A run could not be carried out (preparation failed, a phase overran its time limit): the run fails with this message.</summary>
public sealed class BenchRunException(string message) : Exception(message);
