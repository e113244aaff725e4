using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Shop.Api.Auth;

namespace Shop.Tests.Api;

/// <summary>The bearer scheme's memory of valid tokens never accepts what a fresh check would refuse.</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("a-test-signing-key-of-at-least-32-bytes"));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "test",
        ValidAudience = "shop-api",
        IssuerSigningKey = Key,
        ClockSkew = TimeSpan.Zero,
        NameClaimType = "sub",
    };

    [Fact]
    public async Task ARememberedTokenIsRefusedOnceItExpires()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, TimeSpan.FromMinutes(5));
        var token = Token("u1", lifetime: TimeSpan.FromSeconds(2));

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var again = await cache.ValidateTokenAsync(token, Parameters);
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var expired = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(again.IsValid);
        Assert.Equal("u1", again.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.False(expired.IsValid);
        Assert.IsType<SecurityTokenExpiredException>(expired.Exception);
    }

    [Fact]
    public async Task ARememberedTokenAnswersWithTheSameClaimsAndLifetimeAsAFreshCheckInAnIdentityOfItsOwn()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, TimeSpan.FromMinutes(5));
        var token = Token("u1", lifetime: TimeSpan.FromMinutes(5), permissions: ["orders:read", "audit:read"]);
        var fresh = await new JsonWebTokenHandler().ValidateTokenAsync(token, Parameters);

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var again = await cache.ValidateTokenAsync(token, Parameters);

        foreach (var answer in new[] { first, again })
        {
            Assert.True(answer.IsValid);
            Assert.Equal(Claims(fresh.ClaimsIdentity), Claims(answer.ClaimsIdentity));
            Assert.Equal("u1", answer.ClaimsIdentity.Name);
            Assert.Equal(fresh.ClaimsIdentity.AuthenticationType, answer.ClaimsIdentity.AuthenticationType);
            Assert.Equal(fresh.SecurityToken.ValidTo, answer.SecurityToken.ValidTo);
            Assert.Equal(fresh.SecurityToken.ValidFrom, answer.SecurityToken.ValidFrom);
            Assert.Equal("test", answer.SecurityToken.Issuer);
        }

        // One request adding to its identity (a claims transformation, say) does not change another's.
        first.ClaimsIdentity.AddClaim(new Claim("permissions", "inventory:write"));
        Assert.DoesNotContain(again.ClaimsIdentity.Claims, c => c.Value == "inventory:write");
        Assert.DoesNotContain((await cache.ValidateTokenAsync(token, Parameters)).ClaimsIdentity.Claims, c => c.Value == "inventory:write");
    }

    [Fact]
    public async Task ATokenWithAForgedSignatureIsRefusedAlthoughTheGenuineOneWasRemembered()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, TimeSpan.FromMinutes(5));
        var genuine = Token("u1", lifetime: TimeSpan.FromMinutes(5));
        var parts = genuine.Split('.');
        // Another user's claims under the genuine token's signature.
        var forged = $"{parts[0]}.{Token("admin", lifetime: TimeSpan.FromMinutes(5)).Split('.')[1]}.{parts[2]}";

        Assert.True((await cache.ValidateTokenAsync(genuine, Parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.Equal("u1", (await cache.ValidateTokenAsync(genuine, Parameters)).ClaimsIdentity.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task ATokenSignedWithAWithdrawnKeyIsAcceptedOnlyWhileRememberedAndNotAtAllWithoutMemory()
    {
        var token = Token("u1", lifetime: TimeSpan.FromMinutes(5));
        // The identity provider withdrew the key the token was signed with; a fresh check refuses it.
        var withdrawn = new TokenValidationParameters
        {
            ValidIssuer = "test",
            ValidAudience = "shop-api",
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another-signing-key-of-at-least-32-bytes")),
            ClockSkew = TimeSpan.Zero,
        };
        var remembering = new ValidatedTokenCache(TimeProvider.System, TimeSpan.FromSeconds(1));
        var forgetting = new ValidatedTokenCache(TimeProvider.System, TimeSpan.Zero);

        Assert.True((await remembering.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.True((await forgetting.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.True((await remembering.ValidateTokenAsync(token, withdrawn)).IsValid);
        Assert.False((await forgetting.ValidateTokenAsync(token, withdrawn)).IsValid);
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.False((await remembering.ValidateTokenAsync(token, withdrawn)).IsValid);
        Assert.Equal(0, forgetting.Count);
    }

    [Fact]
    public async Task AFullCacheForgetsExpiredTokensFirstAndNeverHoldsMoreThanItsCapacity()
    {
        var cache = new ValidatedTokenCache(TimeProvider.System, TimeSpan.FromMinutes(5), capacity: 3);
        var shortLived = Token("u1", lifetime: TimeSpan.FromSeconds(2));
        string[] longLived = [.. Enumerable.Range(2, 4).Select(i => Token($"u{i}", lifetime: TimeSpan.FromMinutes(5)))];

        Assert.True((await cache.ValidateTokenAsync(shortLived, Parameters)).IsValid);
        Assert.True((await cache.ValidateTokenAsync(longLived[0], Parameters)).IsValid);
        Assert.True((await cache.ValidateTokenAsync(longLived[1], Parameters)).IsValid);
        Assert.True((await cache.ValidateTokenAsync(longLived[1], Parameters)).IsValid);
        Assert.Equal(3, cache.Count);
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        // Full: the expired token makes room.
        Assert.True((await cache.ValidateTokenAsync(longLived[2], Parameters)).IsValid);
        Assert.Equal(3, cache.Count);
        // Full of tokens still valid: it starts over, and every token is checked again once.
        Assert.True((await cache.ValidateTokenAsync(longLived[3], Parameters)).IsValid);
        Assert.Equal(1, cache.Count);
        Assert.True((await cache.ValidateTokenAsync(longLived[0], Parameters)).IsValid);
        Assert.Equal(2, cache.Count);
    }

    private static string[] Claims(ClaimsIdentity identity) =>
        [.. identity.Claims.Select(c => $"{c.Type}={c.Value} ({c.ValueType}, {c.Issuer})").Order()];

    private static string Token(string userId, TimeSpan lifetime, string[]? permissions = null)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = "test",
            Audience = "shop-api",
            Subject = new ClaimsIdentity([new Claim("sub", userId), .. (permissions ?? []).Select(p => new Claim("permissions", p))]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
