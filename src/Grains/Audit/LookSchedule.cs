namespace Shop.Grains;

/// <summary>
/// When an outbox lane looks for committed events next. A look is a read transaction (and, for a lane
/// with a row, a metadata write), so a lane that finds nothing looks half as often each time, down to
/// once per <see cref="OutboxOptions.MaxLookInterval"/>, until it stops at the end of its settle window;
/// an append, or a look that found events, brings it back to every <see cref="OutboxOptions.FlushInterval"/>.
/// </summary>
/// <remarks>
/// Before this, a lane looked on every tick for a minute after its last append and after its
/// activation: 4 read transactions a second per lane, 64 a second for 16 lanes after a sale (and after
/// every silo start), with nothing to find. Events are still found within a tick or two of their commit
/// while a lane is busy, and within the longest gap when their transaction took long to commit after
/// its append.
/// </remarks>
public sealed class LookSchedule(OutboxOptions options, DateTime now)
{
    private TimeSpan gap = options.FlushInterval;
    private DateTime next = now;
    private DateTime until = now + options.SettleWindow;

    /// <summary>Whether to look at <paramref name="now"/>.</summary>
    public bool IsDue(DateTime now) => now <= until && now >= next;

    /// <summary>An append: its events commit soon, so look from the next tick on.</summary>
    public void Appended(DateTime now)
    {
        until = Max(until, now + options.SettleWindow);
        gap = options.FlushInterval;
        next = Min(next, now + gap);
    }

    /// <summary>A look found <paramref name="events"/> events; none: wait twice as long as last time.</summary>
    public void Looked(DateTime now, int events)
    {
        if (events > 0)
        {
            // Where there were events there may be more on their way.
            gap = options.FlushInterval;
            until = Max(until, now + options.FlushInterval * 4);
        }
        else
        {
            gap = Min(gap * 2, options.MaxLookInterval);
        }

        next = now + gap;
    }

    /// <summary>A look failed: the events stay in the lane, and it keeps trying (less often) for a settle window.</summary>
    public void Failed(DateTime now)
    {
        until = Max(until, now + options.SettleWindow);
        gap = Min(gap * 2, options.MaxLookInterval);
        next = now + gap;
    }

    /// <summary>When the next look is due (for tests and diagnostics).</summary>
    public DateTime Next => next;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
