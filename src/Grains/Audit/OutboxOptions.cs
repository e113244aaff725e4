namespace Shop.Grains;

public sealed class OutboxOptions
{
    /// <summary>
    /// How many outbox lanes transactions spread over. More lanes mean less contention between
    /// checkouts on the same lane; each lane is one small transactional record.
    /// </summary>
    public int Lanes { get; set; } = 16;

    /// <summary>How often a lane with pending events projects them.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    public int PickLane() => Random.Shared.Next(Lanes);
}
