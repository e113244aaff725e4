using Microsoft.IdentityModel.Tokens;

namespace Shop.Api.Auth;

/// <summary>The security token of an answer built from a remembered token: its id, issuer and lifetime, without its parsed parts.</summary>
public sealed class RememberedToken(string id, string issuer, DateTime validFrom, DateTime validTo) : SecurityToken
{
    public override string Id => id;

    public override string Issuer => issuer;

    public override SecurityKey? SecurityKey => null;

    public override SecurityKey? SigningKey { get; set; }

    public override DateTime ValidFrom => validFrom;

    public override DateTime ValidTo => validTo;
}
