using Shop.Grains;

namespace Shop.Tests;

/// <summary>
/// When an outbox lane looks for committed events (each look is a read transaction): soon after an
/// append, so orders and audit entries show in the read model quickly; less and less often while it
/// finds nothing, so an idle shop is not kept busy by its own lanes.
/// </summary>
public sealed class OutboxLookScheduleTests
{
    private static readonly DateTime Start = new(2026, 12, 2, 0, 0, 0, DateTimeKind.Utc);

    private static readonly OutboxOptions Options = new()
    {
        FlushInterval = TimeSpan.FromMilliseconds(250),
        MaxLookInterval = TimeSpan.FromSeconds(2),
        SettleWindow = TimeSpan.FromSeconds(60),
    };

    [Fact]
    public void ALaneThatFindsNothingLooksHalfAsOftenEachTimeDownToTheLongestGap()
    {
        var looks = new LookSchedule(Options, Start);
        var now = Start;
        var gaps = new List<double>();
        for (var i = 0; i < 6; i++)
        {
            Assert.True(looks.IsDue(now));
            looks.Looked(now, events: 0);
            gaps.Add((looks.Next - now).TotalMilliseconds);
            now = looks.Next;
        }

        Assert.Equal([500, 1000, 2000, 2000, 2000, 2000], gaps);
    }

    [Fact]
    public void AnAppendBringsABackedOffLaneBackWithinOneFlushInterval()
    {
        var looks = new LookSchedule(Options, Start);
        var now = Start;
        for (var i = 0; i < 4; i++)
        {
            looks.Looked(now, events: 0);
            now = looks.Next;
        }

        looks.Looked(now, events: 0);
        Assert.False(looks.IsDue(now + TimeSpan.FromMilliseconds(250)));

        looks.Appended(now);

        Assert.True(looks.IsDue(now + TimeSpan.FromMilliseconds(250)));
    }

    [Fact]
    public void ALaneThatFoundEventsLooksAgainOnTheNextTick()
    {
        var looks = new LookSchedule(Options, Start);
        looks.Looked(Start, events: 0);
        looks.Looked(Start + TimeSpan.FromMilliseconds(500), events: 3);

        Assert.Equal(Start + TimeSpan.FromMilliseconds(750), looks.Next);
    }

    [Fact]
    public void ALaneStopsLookingAfterItsSettleWindowUntilTheNextAppend()
    {
        var looks = new LookSchedule(Options, Start);
        var late = Start + Options.SettleWindow + TimeSpan.FromSeconds(1);

        Assert.False(looks.IsDue(late));

        looks.Appended(late);

        Assert.True(looks.IsDue(late + Options.FlushInterval));
    }

    [Fact]
    public void AFailedLookIsRetriedForAWholeSettleWindow()
    {
        var looks = new LookSchedule(Options, Start);
        var failedAt = Start + TimeSpan.FromSeconds(59);
        looks.Failed(failedAt);

        Assert.True(looks.IsDue(failedAt + TimeSpan.FromSeconds(30)));
    }
}
