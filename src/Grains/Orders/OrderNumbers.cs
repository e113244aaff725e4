using System.Globalization;

namespace Shop.Grains;

/// <summary>
/// Order numbers: <c>ORD-YYYYMMDD-</c> and eight characters that encode the order id. Ids are unique
/// forever, so the numbers are too; the id goes through a fixed 40-bit permutation first so that
/// consecutive orders do not get consecutive-looking numbers (and the numbers do not reveal volumes).
/// </summary>
public static class OrderNumbers
{
    // Crockford's base 32: digits and uppercase letters without I, L, O and U.
    private const string Alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    private const int Bits = 40;
    private const ulong Mask = (1UL << Bits) - 1;
    private const ulong Multiplier = 0x9E3779B97F; // odd, hence invertible modulo 2^40

    public static string Format(long orderId, DateTime createdAtUtc)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(orderId);
        var code = (ulong)orderId <= Mask ? Encode(Permute((ulong)orderId), 8) : Encode((ulong)orderId, 13);
        return string.Create(CultureInfo.InvariantCulture, $"ORD-{createdAtUtc:yyyyMMdd}-{code}");
    }

    private static ulong Permute(ulong x)
    {
        // Each step is a bijection on 40-bit values: multiplication by an odd number, and xor with a right shift.
        x = (x * Multiplier) & Mask;
        x ^= x >> 21;
        x = (x * Multiplier) & Mask;
        x ^= x >> 17;
        return x;
    }

    private static string Encode(ulong value, int length)
    {
        Span<char> chars = stackalloc char[length];
        for (var i = length - 1; i >= 0; i--)
        {
            chars[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
