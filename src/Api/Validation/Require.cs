namespace Shop.Api.Validation;

/// <summary>Field checks for request bodies and query strings, in the API's snake_case field names.</summary>
public static class Require
{
    public static T Present<T>(T? value, string field) where T : struct =>
        value ?? throw new ValidationException(field, $"{field} is required.");

    public static T Present<T>(T? value, string field) where T : class =>
        value ?? throw new ValidationException(field, $"{field} is required.");

    public static string Text(string? value, string field, int maxLength)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new ValidationException(field, $"{field} is required.");
        }

        return OptionalText(value, field, maxLength)!;
    }

    public static string? OptionalText(string? value, string field, int maxLength) =>
        value is { Length: var length } && length > maxLength
            ? throw new ValidationException(field, $"{field} must be at most {maxLength} characters.")
            : value;

    public static TEnum? OptionalEnum<TEnum>(string? value, string field) where TEnum : struct, Enum =>
        value is null ? null
        : WireNames.TryParse<TEnum>(value, out var parsed) ? parsed
        : throw new ValidationException(field, $"{field} must be one of: {string.Join(", ", WireNames.All<TEnum>())}.");

    public static string? OneOf(string? value, string field, IReadOnlySet<string> allowed) =>
        value is null || allowed.Contains(value)
            ? value
            : throw new ValidationException(field, $"{field} must be one of: {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
}
