namespace Shop.Api.Validation;

/// <summary>Validates every <see cref="IValidatable"/> argument before the handler runs; set once per route group.</summary>
public sealed class ValidationFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        foreach (var argument in context.Arguments)
        {
            (argument as IValidatable)?.Validate();
        }

        return next(context);
    }
}

public static class ValidationRouteExtensions
{
    public static RouteGroupBuilder WithValidation(this RouteGroupBuilder group) => group.AddEndpointFilter<ValidationFilter>();
}
