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

    /// <summary>The longest a lane waits between looks that find nothing (each such look doubles the wait; <see cref="LookSchedule"/>).</summary>
    public TimeSpan MaxLookInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long after an append a lane keeps looking for committed events: longer than a checkout
    /// transaction can take to commit after its append (retries and in-doubt resolution included).
    /// </summary>
    public TimeSpan SettleWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How often each silo wakes every lane, so that events a dead silo's lane left committed but
    /// unprojected are projected without waiting for the lane's next append.
    /// </summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(2);

    public int PickLane() => Random.Shared.Next(Lanes);
}
