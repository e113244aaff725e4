using System.Diagnostics;

namespace Shop.Bench.Load;

/// <summary>
/// Every checkout request of a run, indexed by buyer: its outcome, HTTP status (0: no answer), start and end
/// (<see cref="Stopwatch"/> timestamps) and, for errors, what went wrong. Each worker writes only the slots
/// of the buyers it took, so recording needs no lock and allocates nothing.
/// </summary>
public sealed class LoadRecord(int buyers)
{
    public Outcome[] Outcomes { get; } = new Outcome[buyers];

    public short[] Statuses { get; } = new short[buyers];

    public long[] Started { get; } = new long[buyers];

    public long[] Ended { get; } = new long[buyers];

    public string?[] Failures { get; } = new string?[buyers];

    public long Origin { get; set; }

    public long Finished { get; set; }

    public void Set(int buyer, Outcome outcome, short status, long started, long ended, string? failure)
    {
        Outcomes[buyer] = outcome;
        Statuses[buyer] = status;
        Started[buyer] = started;
        Ended[buyer] = ended;
        Failures[buyer] = failure;
    }

    public static double Seconds(long from, long to) => (double)(to - from) / Stopwatch.Frequency;
}
