using System.Diagnostics;

namespace Shop.Bench.Load;

/// <summary>What a run is doing right now, updated by its workers and read by the live display.</summary>
public sealed class LiveStatus(string title)
{
    /// <summary>The timed phase, the one whose outcomes are counted.</summary>
    public const string CheckoutPhase = "checking out";

    /// <summary>The untimed checkouts before it (see <c>Scenario.Warmup</c>).</summary>
    public const string WarmupPhase = "warming up";

    /// <summary>After the warm-up, until the target's processes are quiet.</summary>
    public const string SettlePhase = "settling";

    private readonly Stopwatch clock = new();
    private string phase = "starting";
    private int total;
    private int done;
    private int successes;
    private int soldOut;
    private int errors;

    public string Title { get; } = title;

    public string Phase => Volatile.Read(ref phase);

    public int Total => Volatile.Read(ref total);

    public int Done => Volatile.Read(ref done);

    public int Successes => Volatile.Read(ref successes);

    public int SoldOut => Volatile.Read(ref soldOut);

    public int Errors => Volatile.Read(ref errors);

    public TimeSpan Elapsed => clock.Elapsed;

    public bool CountsOutcomes => Phase is CheckoutPhase or WarmupPhase;

    public void StartPhase(string name, int count)
    {
        Volatile.Write(ref phase, name);
        Volatile.Write(ref total, count);
        Volatile.Write(ref done, 0);
        Volatile.Write(ref successes, 0);
        Volatile.Write(ref soldOut, 0);
        Volatile.Write(ref errors, 0);
        clock.Restart();
    }

    public void Advance() => Interlocked.Increment(ref done);

    public void Record(Outcome outcome)
    {
        Interlocked.Increment(ref done);
        _ = outcome switch
        {
            Outcome.Success => Interlocked.Increment(ref successes),
            Outcome.SoldOut => Interlocked.Increment(ref soldOut),
            _ => Interlocked.Increment(ref errors),
        };
    }
}
