using System.Reflection;
using System.Text.Json;

namespace Shop.Api.Errors;

/// <summary>Says what a request field should hold, from the request type, for messages like "quantity must be a whole number".</summary>
public static class JsonFieldTypes
{
    public static string? Describe(Type bodyType, string path)
    {
        var type = bodyType;
        foreach (var segment in path.Split('.'))
        {
            var name = segment.Split('[')[0];
            if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
            {
                type = type.GetGenericArguments()[1];
                continue;
            }

            var property = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name) == name);
            if (property is null)
            {
                return null;
            }

            type = property.PropertyType;
            if (segment.Contains('[', StringComparison.Ordinal) && ElementType(type) is { } element)
            {
                type = element;
            }
        }

        return Describe(type);
    }

    public static string DescribeClrType(string typeName) => Unwrapped(typeName) switch
    {
        "int" or "Int32" => WholeNumber,
        "long" or "Int64" => "a whole number",
        "decimal" or "Decimal" => "a number",
        "bool" or "Boolean" => "true or false",
        _ => "a value of another form",
    };

    // "int?", "Nullable<int>" and "int" all describe an int.
    private static string Unwrapped(string typeName) =>
        typeName.StartsWith("Nullable<", StringComparison.Ordinal) ? typeName[9..^1] : typeName.TrimEnd('?');

    private const string WholeNumber = "a whole number between -2147483648 and 2147483647";

    private static string Describe(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(int) => WholeNumber,
            _ when underlying == typeof(long) => "a whole number",
            _ when underlying == typeof(decimal) => "a number",
            _ when underlying == typeof(string) => "a string",
            _ when underlying == typeof(bool) => "true or false",
            _ when underlying.IsGenericType && underlying.GetGenericTypeDefinition() == typeof(Dictionary<,>) => "an object whose values are strings",
            _ when ElementType(underlying) is { } element => $"an array of {Plural(Describe(element))}",
            _ => "an object",
        };
    }

    private static Type? ElementType(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] && typeof(IEnumerable<>).MakeGenericType(element).IsAssignableFrom(type) ? element
        : null;

    private static string Plural(string description) => description.StartsWith("a ", StringComparison.Ordinal) ? description[2..] + "s" : description;
}
