using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Auth;

/// <summary>
/// The JWT handler of the bearer scheme, remembering the tokens it found valid: a buyer sends the same
/// token with every request, and checking its signature and claims again each time was about a seventh
/// of the API's request work in a flash sale (perf, bench hot). A remembered token is accepted without a
/// new check until it expires (its <c>exp</c>, without clock skew) or <c>rememberFor</c> has passed since
/// it was checked, whichever is first; a token that failed is never remembered, so it is checked (and
/// refused) every time.
/// </summary>
/// <remarks>
/// The price: a token signed with a key the identity provider has since withdrawn stays accepted for at
/// most <c>rememberFor</c> (the bearer scheme itself keeps an authority's signing keys for up to 12 hours
/// between refreshes of its metadata). At most <see cref="Capacity"/> tokens (by default) are remembered, each with its parsed
/// token and claims (about 5 KB: the hot benchmark's 33,000 buyers took the API's peak memory from 818 to
/// about 890 MiB against a cap of 20,000, so up to about 500 MB when full of tokens of the last minute);
/// when full, expired ones are dropped, and if none had expired the cache starts over (every token is
/// checked again once). A cap of 20,000 cost the hot benchmark a third of its sold-out answers (4,444
/// against 6,400/s): it was full before the sale began, and its buyers' tokens were checked again.
/// </remarks>
public sealed class ValidatedTokenCache(TimeProvider time, TimeSpan rememberFor, int capacity = ValidatedTokenCache.Capacity) : JsonWebTokenHandler
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, (TokenValidationResult Result, DateTime Until)> validated = new(StringComparer.Ordinal);

    // How many tokens are remembered, kept alongside the dictionary: its Count takes every one of its
    // locks (up to 1,024 once it has grown), which on every newly checked token was 3% of the API's CPU
    // in the hot benchmark. Recounted exactly whenever the cache is pruned.
    private int remembered;

    /// <summary>How many tokens are remembered now (expired ones included until the cache is pruned).</summary>
    public int Count => Volatile.Read(ref remembered);

    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (validated.TryGetValue(token, out var known))
        {
            if (now < known.Until)
            {
                return known.Result;
            }

            if (validated.TryRemove(new(token, known)))
            {
                Interlocked.Decrement(ref remembered);
            }
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var expires } && expires > now && rememberFor > TimeSpan.Zero)
        {
            Remember(token, result, Min(expires, now + rememberFor), now);
        }

        return result;
    }

    private void Remember(string token, TokenValidationResult result, DateTime until, DateTime now)
    {
        if (Volatile.Read(ref remembered) >= capacity)
        {
            foreach (var (key, entry) in validated)
            {
                if (entry.Until <= now)
                {
                    validated.TryRemove(key, out _);
                }
            }

            if (validated.Count >= capacity)
            {
                validated.Clear();
            }

            Volatile.Write(ref remembered, validated.Count);
        }

        if (validated.TryAdd(token, (result, until)))
        {
            Interlocked.Increment(ref remembered);
        }
        else
        {
            validated[token] = (result, until);
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;
}
