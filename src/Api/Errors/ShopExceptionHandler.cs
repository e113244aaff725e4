using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Api.Errors;

/// <summary>
/// The one place where exceptions become RFC 9457 problem details. Domain exceptions (unwrapped from
/// Orleans' transaction-abort wrappers) map to 400, 404, 409 or 503 with their own message as the
/// <c>detail</c>; malformed requests map to 400 naming the field; anything else is a genuine 500.
/// </summary>
public sealed partial class ShopExceptionHandler(IProblemDetailsService problemDetails, ILogger<ShopExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        // The failed endpoint (cleared from the context while the handler runs) says what the body should have been.
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? httpContext.GetEndpoint();
        var problem = ToProblem(exception, endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType);
        if (problem is null)
        {
            LogUnhandled(logger, exception);
            return false;
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    public static ProblemDetails? ToProblem(Exception exception, Type? bodyType) => Unwrap(exception) switch
    {
        ShopException refusal => ToProblem(refusal),
        BadHttpRequestException e => FromBadRequest(e, bodyType),
        _ when IsInfrastructureFailure(exception) => Problem(StatusCodes.Status503ServiceUnavailable,
            "The service is temporarily unavailable. Nothing was acknowledged; please retry."),
        _ => null,
    };

    /// <summary>A business rule's refusal: always a 4xx, or 503 when the shop could not decide in time.</summary>
    public static ProblemDetails ToProblem(ShopException refusal) => refusal switch
    {
        ValidationException e => Validation(e.Field, e.Message),
        EmptyCartException e => Problem(StatusCodes.Status400BadRequest, e.Message),
        NotFoundException e => Problem(StatusCodes.Status404NotFound, e.Message),
        ServiceUnavailableException or OutcomeUnknownException => Problem(StatusCodes.Status503ServiceUnavailable, refusal.Message),
        // Conflicts, and any refusal without a mapping of its own: still this request refused, never a 500.
        _ => Problem(StatusCodes.Status409Conflict, refusal.Message),
    };

    /// <summary>
    /// The cluster, a silo or the database could not be reached or did not answer in time: the request
    /// is not acknowledged, and retrying later is right. (A database exception thrown in a silo whose
    /// type this process cannot load arrives as Orleans' fallback exception. Orleans cancels a call whose
    /// message expired before it could be placed, which happens while a dead silo still owns the grain;
    /// a request its client aborted is cancelled too, but nobody reads that answer.)
    /// </summary>
    private static bool IsInfrastructureFailure(Exception exception) =>
        exception is TimeoutException or OrleansException or OperationCanceledException or System.Data.Common.DbException
            or IOException or System.Net.Sockets.SocketException or Orleans.Serialization.UnavailableExceptionFallbackException;

    /// <summary>
    /// An infrastructure failure that is no refusal in disguise (a domain exception inside Orleans'
    /// transaction-abort wrapper is an answer): the same request may well succeed a moment later.
    /// </summary>
    public static bool IsTransientFailure(Exception exception) => Unwrap(exception) is not ShopException && IsInfrastructureFailure(exception);

    private static Exception Unwrap(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is ShopException)
            {
                return current;
            }
        }

        return exception;
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException exception, Type? bodyType)
    {
        if (exception.InnerException is JsonException json)
        {
            // Conversion errors name the field; anything else is broken JSON (syntax, truncation).
            var field = FieldOf(json.Path);
            if (!json.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
            {
                return Validation("body", "The request body is not valid JSON.");
            }

            if (field is null)
            {
                return Validation("body", "The request body must be a JSON object.");
            }

            var expected = bodyType is null ? null : JsonFieldTypes.Describe(bodyType, field);
            return Validation(field, expected is null ? $"{field} has an invalid value." : $"{field} must be {expected}.");
        }

        if (BindFailure().Match(exception.Message) is { Success: true } bind)
        {
            var name = JsonNamingPolicy.SnakeCaseLower.ConvertName(bind.Groups["name"].Value);
            return Validation(name, $"{name} must be {JsonFieldTypes.DescribeClrType(bind.Groups["type"].Value)}; '{bind.Groups["value"].Value}' is not.");
        }

        if (exception.StatusCode == StatusCodes.Status400BadRequest && exception.Message.Contains("body", StringComparison.OrdinalIgnoreCase))
        {
            return Validation("body", "A JSON request body is required.");
        }

        return Problem(exception.StatusCode, exception.Message);
    }

    /// <summary>The snake_case field a JSON path like <c>$.attributes.color</c> points at.</summary>
    private static string? FieldOf(string? path) =>
        path is null or "$" or "" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');

    private static HttpValidationProblemDetails Validation(string field, string message) => new(
        new Dictionary<string, string[]> { [field] = [message] })
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more validation errors occurred.",
        Detail = message,
    };

    private static ProblemDetails Problem(int status, string detail) => new()
    {
        Status = status,
        Detail = detail,
    };

    // Failed to bind parameter "int? page" from "abc".
    [GeneratedRegex("^Failed to bind parameter \"(?<type>[^\"]+) (?<name>[^ \"]+)\" from \"(?<value>.*)\"\\.$")]
    private static partial Regex BindFailure();

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
