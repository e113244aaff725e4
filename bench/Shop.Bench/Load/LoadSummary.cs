using System.Globalization;

namespace Shop.Bench.Load;

/// <summary>
/// The timed phase in figures. Checkouts/s is the successes over the selling phase (from the first request
/// to the last successful answer). Sold-out answers/s is measured separately, over the phase after the
/// stock ran out: from the first sold-out answer to the last one (checkouts still queued when the stock
/// ran out may finish in that phase too; they are not counted in it). Errors are every answer but 201 and
/// the insufficient-stock 409, by status ("timeout" and "transport" when no answer came); unknown
/// outcomes are the 5xx and unanswered ones.
/// </summary>
public sealed record LoadSummary(
    int Requests,
    int Successes,
    int SoldOut,
    int Errors,
    int UnknownOutcomes,
    IReadOnlyDictionary<string, int> ErrorsByStatus,
    IReadOnlyDictionary<string, string> ErrorSamples,
    double DurationSeconds,
    double SellingSeconds,
    double CheckoutsPerSecond,
    double? SoldOutPhaseSeconds,
    double? SoldOutPerSecond,
    LatencySummary SuccessLatency,
    LatencySummary SoldOutLatency,
    LatencySummary ErrorLatency)
{
    private const int SampleLength = 400;

    public static LoadSummary Of(LoadRecord record)
    {
        var sent = Enumerable.Range(0, record.Outcomes.Length).Where(i => record.Outcomes[i] != Outcome.None).ToList();
        List<int> WithOutcome(Outcome outcome) => [.. sent.Where(i => record.Outcomes[i] == outcome)];
        var successes = WithOutcome(Outcome.Success);
        var soldOut = WithOutcome(Outcome.SoldOut);
        var errors = sent.Where(i => record.Outcomes[i] is Outcome.Rejected or Outcome.Unknown).ToList();

        var lastSuccess = successes.Count == 0 ? record.Origin : successes.Max(i => record.Ended[i]);
        var selling = LoadRecord.Seconds(record.Origin, lastSuccess);
        var soldOutPhase = soldOut.Count < 2 ? (double?)null : LoadRecord.Seconds(soldOut.Min(i => record.Ended[i]), soldOut.Max(i => record.Ended[i]));

        var byStatus = errors.GroupBy(Key).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
        var samples = errors.GroupBy(Key).ToDictionary(g => g.Key, g => Shorten(record.Failures[g.First()] ?? ""));
        return new LoadSummary(
            sent.Count,
            successes.Count,
            soldOut.Count,
            errors.Count,
            sent.Count(i => record.Outcomes[i] == Outcome.Unknown),
            byStatus,
            samples,
            Math.Round(LoadRecord.Seconds(record.Origin, record.Finished), 3),
            Math.Round(selling, 3),
            selling > 0 ? Math.Round(successes.Count / selling, 1) : 0,
            soldOutPhase is { } s ? Math.Round(s, 3) : null,
            soldOutPhase is > 0 ? Math.Round((soldOut.Count - 1) / soldOutPhase.Value, 1) : null,
            LatencySummary.Of(successes.Select(Duration)),
            LatencySummary.Of(soldOut.Select(Duration)),
            LatencySummary.Of(errors.Select(Duration)));

        long Duration(int i) => record.Ended[i] - record.Started[i];

        string Key(int i) => record.Statuses[i] != 0
            ? record.Statuses[i].ToString(CultureInfo.InvariantCulture)
            : (record.Failures[i] ?? "no answer").Split(':')[0];
    }

    private static string Shorten(string text) => text.Length <= SampleLength ? text : text[..SampleLength] + "…";
}
