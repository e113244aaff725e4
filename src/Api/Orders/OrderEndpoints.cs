using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Shop.Api.Auth;
using Shop.Api.Validation;

namespace Shop.Api.Orders;

public static class OrderEndpoints
{
    public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
    {
        var mine = app.MapGroup("/api/orders").WithTags("Orders").WithValidation().RequireAuthorization();
        mine.MapGet("/me", ListMine).WithSummary("List my orders").WithDescription("Newest first; filter with status.");
        mine.MapGet("/{id}", Get)
            .WithSummary("Get an order")
            .WithDescription("The owner, or a caller with orders:read. Anyone else gets 404: existence is not revealed.");
        mine.MapPost("/{id}/cancel", Cancel)
            .WithSummary("Cancel an order")
            .WithDescription("The owner, or a caller with orders:update. Only pending or processing orders; every line's stock is restored and a paid payment becomes refunded. reason is optional (at most 500 characters).");

        var staff = app.MapGroup("/api/orders").WithTags("Orders").WithValidation();
        staff.MapGet("/", List).RequireAuthorization(Permissions.OrdersRead)
            .WithSummary("List all orders")
            .WithDescription("Newest first; filter with status and user_id. Reflects committed orders within a second (5 at most).");
        staff.MapGet("/statistics", Statistics).RequireAuthorization(Permissions.OrdersRead)
            .WithSummary("Order statistics")
            .WithDescription("Revenue, units and average order value count orders that are not cancelled. Reflects every committed change within 5 seconds.");
        staff.MapPut("/{id}", Update).RequireAuthorization(Permissions.OrdersUpdate)
            .WithSummary("Change an order's status or payment status")
            .WithDescription("Order: pending -> processing -> shipped -> delivered, cancelled from pending or processing (same effects as cancel). Payment: pending -> paid | failed, paid -> refunded. A field equal to the current value is not a change; any other move is 409.");
        return app;
    }

    private static async Task<Ok<PageResponse<OrderSummaryResponse>>> ListMine(
        [AsParameters] PageQuery page, [AsParameters] MyOrdersQuery query, ClaimsPrincipal user, IGrainFactory grains)
    {
        var orders = await grains.GetGrain<IUserOrdersGrain>(user.UserId()).ListAsync(query.ParsedStatus, page.Request);
        return TypedResults.Ok(PageResponse.From(orders, OrderSummaryResponse.From));
    }

    private static async Task<Ok<OrderResponse>> Get(long id, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(OrderResponse.From(await grains.GetGrain<IOrderGrain>(id).GetAsync(Access(user, Permissions.OrdersRead))));

    private static async Task<Ok<OrderResponse>> Cancel(long id, [FromQuery] string? reason, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(OrderResponse.From(await grains.GetGrain<IOrderGrain>(id).CancelAsync(reason, Access(user, Permissions.OrdersUpdate))));

    private static async Task<Ok<PageResponse<OrderSummaryResponse>>> List([AsParameters] PageQuery page, [AsParameters] OrdersQuery query, IGrainFactory grains)
    {
        var orders = await grains.GetGrain<IOrderIndexGrain>(0).ListAsync(new OrderQuery(query.ParsedStatus, query.UserId, page.Request));
        return TypedResults.Ok(PageResponse.From(orders, OrderSummaryResponse.From));
    }

    private static async Task<Ok<OrderStatisticsResponse>> Statistics(IGrainFactory grains) =>
        TypedResults.Ok(OrderStatisticsResponse.From(await grains.GetGrain<IOrderIndexGrain>(0).GetStatisticsAsync()));

    private static async Task<Ok<OrderResponse>> Update(long id, UpdateOrderRequest request, ClaimsPrincipal user, IGrainFactory grains) =>
        TypedResults.Ok(OrderResponse.From(await grains.GetGrain<IOrderGrain>(id).UpdateStatusAsync(request.ToUpdate(), new OrderAccess(user.UserId(), IsStaff: true))));

    private static OrderAccess Access(ClaimsPrincipal user, string staffPermission) => new(user.UserId(), user.Has(staffPermission));
}
