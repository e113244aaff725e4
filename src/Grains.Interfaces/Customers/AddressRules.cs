using System.Globalization;

namespace Shop;

public static class AddressRules
{
    public const int MaxFieldLength = 200;
    public const int MaxPostalCodeLength = 20;
    public const int MaxPhoneLength = 32;
    public const int MaxAddressesPerUser = 100;

    /// <summary>Every ISO 3166-1 alpha-2 code .NET knows a region for.</summary>
    private static readonly HashSet<string> Countries = BuildCountries();

    public static NewAddress Validate(NewAddress address)
    {
        Required(address.FullName, "full_name", MaxFieldLength);
        Required(address.Line1, "line1", MaxFieldLength);
        Optional(address.Line2, "line2", MaxFieldLength);
        Required(address.City, "city", MaxFieldLength);
        Required(address.PostalCode, "postal_code", MaxPostalCodeLength);
        Optional(address.Phone, "phone", MaxPhoneLength);
        var country = address.Country?.Trim().ToUpperInvariant() ?? "";
        if (!Countries.Contains(country))
        {
            throw new ValidationException("country", "country must be an ISO 3166-1 alpha-2 code such as 'US' or 'DE'.");
        }

        return address with { Country = country };
    }

    private static void Required(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ValidationException(field, $"{field} is required.");
        }

        Optional(value, field, maxLength);
    }

    private static void Optional(string? value, string field, int maxLength)
    {
        if (value is not null && value.Length > maxLength)
        {
            throw new ValidationException(field, $"{field} must be at most {maxLength} characters.");
        }
    }

    private static HashSet<string> BuildCountries()
    {
        // InvariantGlobalization leaves RegionInfo empty, so the list is spelled out.
        const string codes =
            "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
            "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
            "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP " +
            "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT " +
            "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW " +
            "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG " +
            "UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW";
        return [.. codes.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => c.ToUpper(CultureInfo.InvariantCulture))];
    }
}
