using System.Collections.Immutable;

namespace Shop;

/// <summary>The catalog's input rules, shared by the grains (which enforce them) and the API (which reports them).</summary>
public static class ProductRules
{
    public const int MaxSkuLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxAttributes = 50;
    public const int MaxAttributeKeyLength = 100;
    public const int MaxAttributeValueLength = 500;
    public const decimal MaxPrice = 1_000_000_000m;

    public static string NormalizeSku(string sku) => sku.Trim().ToUpperInvariant();

    public static void Validate(NewProduct product)
    {
        ValidateSku(product.Sku);
        ValidateName(product.Name);
        ValidatePrice(product.Price);
        ValidateAttributes(product.Attributes);
        if (product.InitialStock < 0)
        {
            throw new ValidationException("initial_stock", "initial_stock must be 0 or greater.");
        }

        if (product.InitialStock > InventoryRules.MaxStock)
        {
            throw new ValidationException("initial_stock", $"initial_stock must be at most {InventoryRules.MaxStock}.");
        }
    }

    public static void Validate(ProductChanges changes)
    {
        if (changes.Name is not null)
        {
            ValidateName(changes.Name);
        }

        if (changes.Price is { } price)
        {
            ValidatePrice(price);
        }

        if (changes.Attributes is not null)
        {
            ValidateAttributes(changes.Attributes);
        }
    }

    private static void ValidateSku(string sku)
    {
        var normalized = sku?.Trim() ?? "";
        if (normalized.Length == 0)
        {
            throw new ValidationException("sku", "sku is required.");
        }

        if (normalized.Length > MaxSkuLength)
        {
            throw new ValidationException("sku", $"sku must be at most {MaxSkuLength} characters.");
        }

        if (!normalized.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new ValidationException("sku", "sku may contain only letters, digits, '-', '_' and '.'.");
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ValidationException("name", "name is required.");
        }

        if (name.Length > MaxNameLength)
        {
            throw new ValidationException("name", $"name must be at most {MaxNameLength} characters.");
        }
    }

    private static void ValidatePrice(decimal price)
    {
        if (price < 0)
        {
            throw new ValidationException("price", "price must be 0 or greater.");
        }

        if (price > MaxPrice)
        {
            throw new ValidationException("price", $"price must be at most {MaxPrice}.");
        }

        if (decimal.Round(price, 2) != price)
        {
            throw new ValidationException("price", "price must have at most two decimal places.");
        }
    }

    private static void ValidateAttributes(ImmutableDictionary<string, string> attributes)
    {
        if (attributes.Count > MaxAttributes)
        {
            throw new ValidationException("attributes", $"attributes may have at most {MaxAttributes} entries.");
        }

        foreach (var (key, value) in attributes)
        {
            if (string.IsNullOrWhiteSpace(key) || key.Length > MaxAttributeKeyLength)
            {
                throw new ValidationException("attributes", $"attribute names must be 1 to {MaxAttributeKeyLength} characters.");
            }

            if (value is null || value.Length > MaxAttributeValueLength)
            {
                throw new ValidationException("attributes", $"attribute '{key}' must be a string of at most {MaxAttributeValueLength} characters.");
            }
        }
    }
}
