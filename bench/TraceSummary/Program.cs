using Shop.TraceSummary;

// Summaries of a .nettrace file written by dotnet-trace from a Shop process during a benchmark run
// (docs/benchmarks.md, "Looking inside a run").
return args switch
{
    ["gc", var path] => GcReport.Print(path),
    ["allocations", var path] => AllocationReport.Print(path, stacksOf: null),
    ["allocations", var path, var type] => AllocationReport.Print(path, stacksOf: type),
    ["jit", var path] => JitReport.Print(path),
    ["jit", var path, var from] => JitReport.Print(path, Seconds(from)),
    ["jit", var path, var from, var to] => JitReport.Print(path, Seconds(from), Seconds(to)),
    _ => Usage(),
};

static double Seconds(string text) => double.Parse(text, System.Globalization.CultureInfo.InvariantCulture);

static int Usage()
{
    Console.Error.WriteLine("""
        usage: dotnet run -c Release --project bench/TraceSummary -- REPORT TRACE.nettrace
          gc TRACE                 every collection: generation, pause, promoted MB, mark time by root per heap
                                   (a trace with Microsoft-Windows-DotNETRuntime:0x1:5)
          allocations TRACE [TYPE] sampled allocations by type; with TYPE (a substring), their commonest stacks
                                   (the same trace)
          jit TRACE [FROM [TO]]    methods compiled per second, by tier (Microsoft-Windows-DotNETRuntime:0x10:5);
                                   with FROM (and TO), seconds into the trace, the types whose methods it
                                   compiled then, by tier
        """);
    return 2;
}
