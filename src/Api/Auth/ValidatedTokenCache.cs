using System.Collections.Concurrent;
using System.Security.Claims;
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
/// <para>
/// The price: a token signed with a key the identity provider has since withdrawn stays accepted for at
/// most <c>rememberFor</c> (the bearer scheme itself keeps an authority's signing keys for up to 12 hours
/// between refreshes of its metadata). At most <see cref="Capacity"/> tokens (by default) are remembered;
/// when full, expired ones are dropped, and if none had expired the cache starts over (every token is
/// checked again once). A cap of 20,000, tried, cost the hot benchmark a third of its sold-out answers
/// (4,444 against 6,400/s): it was full before the sale began, and its buyers' tokens were checked again.
/// </para>
/// <para>
/// What is remembered is the token's claims and lifetime, not the handler's result: that holds the parsed
/// token (its header and payload as dictionaries), the claims identity built from it and a copy of the
/// validation parameters, about 5 KB a token, so that the 32,000 buyers of the hot benchmark kept 165 MB
/// of a 530 MB heap (dotnet-gcdump), and every token first seen in a sale was 5 KB more for each young
/// collection to copy. Each valid answer is built afresh from what is remembered: its own claims identity
/// (a request may add to its own without touching another's) and, as its security token, a
/// <see cref="RememberedToken"/> with the token's id, issuer and lifetime, all the bearer scheme reads
/// from it. The answer is built that way for a token's first check too, so that every request sees the
/// same kind of result; with remembering off the handler's own result is returned.
/// </para>
/// </remarks>
public sealed class ValidatedTokenCache(TimeProvider time, TimeSpan rememberFor, int capacity = ValidatedTokenCache.Capacity) : JsonWebTokenHandler
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, Remembered> validated = new(StringComparer.Ordinal);

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
                return known.ToResult();
            }

            if (validated.TryRemove(new(token, known)))
            {
                Interlocked.Decrement(ref remembered);
            }
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (result.IsValid && result.SecurityToken is { ValidTo: var expires } && expires > now && rememberFor > TimeSpan.Zero)
        {
            var entry = Remembered.From(result, Min(expires, now + rememberFor));
            Remember(token, entry, now);
            return entry.ToResult();
        }

        return result;
    }

    private void Remember(string token, Remembered entry, DateTime now)
    {
        if (Volatile.Read(ref remembered) >= capacity)
        {
            foreach (var (key, known) in validated)
            {
                if (known.Until <= now)
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

        if (validated.TryAdd(token, entry))
        {
            Interlocked.Increment(ref remembered);
        }
        else
        {
            validated[token] = entry;
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>A valid token's claims and lifetime: what a valid answer is built from (a few hundred bytes).</summary>
    private sealed class Remembered(
        (string Type, string Value, string ValueType, string Issuer, string OriginalIssuer)[] claims,
        (string? AuthenticationType, string NameType, string RoleType) identity,
        RememberedToken token,
        DateTime until)
    {
        public DateTime Until => until;

        public static Remembered From(TokenValidationResult result, DateTime until)
        {
            var identity = result.ClaimsIdentity;
            var source = result.SecurityToken;
            return new Remembered(
                [.. identity.Claims.Select(c => (Shared(c.Type), c.Value, Shared(c.ValueType), Shared(c.Issuer), Shared(c.OriginalIssuer)))],
                (identity.AuthenticationType, identity.NameClaimType, identity.RoleClaimType),
                new RememberedToken(source.Id, Shared(source.Issuer), source.ValidFrom, source.ValidTo),
                until);
        }

        public TokenValidationResult ToResult() => new()
        {
            IsValid = true,
            ClaimsIdentity = new CaseSensitiveClaimsIdentity(
                claims.Select(c => new Claim(c.Type, c.Value, c.ValueType, c.Issuer, c.OriginalIssuer)),
                identity.AuthenticationType, identity.NameType, identity.RoleType),
            SecurityToken = token,
            Issuer = token.Issuer,
        };

        // Claim types, value types and issuers are the same few strings in every token, but each token's
        // parse makes its own copies: reuse the interned instance where there is one.
        private static string Shared(string value) => string.IsInterned(value) ?? value;
    }
}
