namespace Shop.Api.Validation;

/// <summary>A request that checks its own fields; throws <see cref="ValidationException"/> naming the first bad one.</summary>
public interface IValidatable
{
    void Validate();
}
