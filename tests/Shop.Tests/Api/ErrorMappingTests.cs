using System.Collections.Immutable;
using Shop.Api.Errors;

namespace Shop.Tests.Api;

/// <summary>
/// What the one place that turns exceptions into problem details answers for failures a running
/// cluster produces: none of them may reach a client as a 500.
/// </summary>
public sealed class ErrorMappingTests
{
    public static TheoryData<Type> Refusals() =>
        [.. new[] { typeof(ShopException).Assembly, typeof(Shop.Grains.CheckoutGrain).Assembly }
            .SelectMany(a => a.GetTypes())
            .Where(t => t.IsSubclassOf(typeof(ShopException)) && !t.IsAbstract)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Refusals))]
    public void EveryRefusalOfAGrainIsAClientErrorOrUnavailable(Type refusal)
    {
        var constructor = refusal.GetConstructors().OrderBy(c => c.GetParameters().Length).First();
        var exception = (Exception)constructor.Invoke([.. constructor.GetParameters().Select(p => Sample(p.ParameterType))]);

        var problem = ShopExceptionHandler.ToProblem(exception, bodyType: null);

        Assert.NotNull(problem);
        Assert.True(problem.Status is >= 400 and < 500 or 503, $"{refusal.Name} answers {problem.Status}");
    }

    /// <summary>A plausible argument for a refusal's constructor parameter.</summary>
    private static object? Sample(Type type) => type switch
    {
        _ when type == typeof(string) => "quantity",
        _ when type.IsEnum => Enum.GetValues(type).GetValue(0),
        _ when type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ImmutableArray<>) =>
            typeof(ImmutableArray).GetMethod(nameof(ImmutableArray.Create), 1, Type.EmptyTypes)!.MakeGenericMethod(type.GetGenericArguments()).Invoke(null, null),
        { IsValueType: true } => Convert.ChangeType(1, type, System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };

    [Fact]
    public void ACallThatExpiredBeforeItsGrainCouldBePlacedIsUnavailableNotAServerError()
    {
        // What Orleans throws while a silo that died still owns the grain a call is for.
        var expired = new OperationCanceledException("Message expired before placement could complete for grain inventory/1.");

        var problem = ShopExceptionHandler.ToProblem(expired, bodyType: null);

        Assert.Equal(503, problem?.Status);
    }

    [Fact]
    public void ABugIsStillAServerError()
    {
        Assert.Null(ShopExceptionHandler.ToProblem(new InvalidOperationException("Sequence contains no elements"), bodyType: null));
    }
}
