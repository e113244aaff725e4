using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Audit;

public sealed record AuditQueryParameters(
    [FromQuery(Name = "entity_type")] string? EntityType,
    [FromQuery(Name = "entity_id")] long? EntityId,
    [FromQuery(Name = "action")] string? Action) : IValidatable
{
    public void Validate()
    {
        Require.OneOf(EntityType, "entity_type", AuditEntityTypes.All);
        Require.OneOf(Action, "action", AuditActions.All);
    }
}

public sealed record AuditEntryResponse(long Id, string Action, string EntityType, long EntityId, string Details, string UserId, DateTime CreatedAt)
{
    public static AuditEntryResponse From(AuditEntry e) => new(e.Id, e.Action, e.EntityType, e.EntityId, e.Details, e.UserId, e.CreatedAt);
}

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/audit").WithTags("Audit").WithValidation().RequireAuthorization(Permissions.AuditRead);
        group.MapGet("/", List)
            .WithSummary("Read the audit trail")
            .WithDescription("Newest first. One entry per committed stock or order change, none for an aborted one; entries appear within a second of their commit. Actions: CREATE, ORDER_FULFILLED, STOCK_RESTORED, STOCK_ADJUSTED, STATUS_CHANGED, CANCELLED, and PAYMENT_STATUS_CHANGED for payment status changes.");
        return app;
    }

    private static async Task<Ok<PageResponse<AuditEntryResponse>>> List([AsParameters] PageQuery page, [AsParameters] AuditQueryParameters query, IGrainFactory grains)
    {
        var entries = await grains.GetGrain<IAuditLogGrain>(0).ListAsync(new AuditQuery(query.EntityType, query.EntityId, query.Action, page.Request));
        return TypedResults.Ok(PageResponse.From(entries, AuditEntryResponse.From));
    }
}
