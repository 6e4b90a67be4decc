using MerchantConsole.Domain.Common;
using MerchantConsole.Features.Storefront;

namespace MerchantConsole.Features.Orders;

public sealed record PlaceOrderRequest(Guid? ProductId);

/// <param name="Reason">Optional, at most 200 characters.</param>
public sealed record RefundRequestBody(string? Reason);

/// <summary>The storefront's order endpoints, on the storefront's signed-in customer group (merchant scope, policy, limits).</summary>
public static class StorefrontOrders
{
    public const string IdempotencyHeader = "Idempotency-Key";

    public static void Map(RouteGroupBuilder customer)
    {
        customer.MapPost("/plans/{planId:guid}/orders", PlaceAsync)
            .WithName("PlaceOrder")
            .WithSummary("Places an order for a plan's membership product; the same Idempotency-Key returns the same order (200), a new one creates it (201).")
            .Produces<OrderView>(StatusCodes.Status201Created).Produces<OrderView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        customer.MapGet("/me/orders", MineAsync)
            .WithName("ListMyOrders").WithSummary("My orders, newest first, with their ledgers.");
        customer.MapGet("/me/orders/{orderId:guid}", OneAsync)
            .WithName("GetMyOrder").WithSummary("One of my orders with its ledger.");
        customer.MapPost("/me/orders/{orderId:guid}/refund", RefundAsync)
            .WithName("RequestRefund")
            .WithSummary("Asks for a refund of one of my fulfilled orders. The plan's refund policy decides: refunded (the card and its "
                + "unused coupons revoked) or refused (422, e.g. a coupon was used). Asking again after a refund returns the refunded order.")
            .Produces<OrderView>()
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> PlaceAsync(Guid planId, PlaceOrderRequest request, HttpContext http, OrderService orders, CancellationToken ct)
    {
        if (StorefrontApi.CustomerId(http) is not { } customerId)
            return StorefrontApi.CustomerNotFound(http);
        if (request.ProductId is not { } productId || productId == Guid.Empty)
            return StorefrontProblems.Invalid(http, "productId", Refusal.Of("Order.ProductRequired", "Say which product to buy."));
        var key = http.Request.Headers[IdempotencyHeader].ToString();
        var result = await orders.PlaceAsync(customerId, planId, productId, key, ct);
        if (result.Order is { } order)
            return result.Created
                ? TypedResults.Created($"{StorefrontSetup.BasePath}/{StorefrontApi.MerchantOf(http).Code}/me/orders/{order.Id}", order)
                : TypedResults.Ok(order);
        var why = result.Refusal!;
        if (result.NotFound)
            return StorefrontProblems.NotFound(http, why);
        return why.Code == "Order.IdempotencyKeyInvalid"
            ? StorefrontProblems.Invalid(http, IdempotencyHeader, why)
            : StorefrontProblems.Problem(http, StatusCodes.Status422UnprocessableEntity, why);
    }

    private static async Task<IResult> RefundAsync(Guid orderId, RefundRequestBody? request, HttpContext http, OrderRefunds refunds,
        CancellationToken ct)
    {
        if (StorefrontApi.CustomerId(http) is not { } customerId)
            return StorefrontApi.CustomerNotFound(http);
        var result = await refunds.RequestAsync(StorefrontApi.MerchantOf(http).Id, customerId, orderId, request?.Reason, ct);
        if (result.NotFound)
            return StorefrontProblems.NotFound(http, result.Refusal!);
        if (result.Order is null)
            return StorefrontProblems.Invalid(http, "reason", result.Refusal!);
        return result.Refusal is { } why
            ? StorefrontProblems.Problem(http, StatusCodes.Status422UnprocessableEntity, why)
            : TypedResults.Ok(result.Order);
    }

    private static async Task<IResult> MineAsync(HttpContext http, OrderService orders, CancellationToken ct) =>
        StorefrontApi.CustomerId(http) is { } customerId ? TypedResults.Ok(await orders.MineAsync(customerId, null, ct)) : StorefrontApi.CustomerNotFound(http);

    private static async Task<IResult> OneAsync(Guid orderId, HttpContext http, OrderService orders, CancellationToken ct) =>
        StorefrontApi.CustomerId(http) is { } customerId && (await orders.MineAsync(customerId, orderId, ct)) is [var order]
            ? TypedResults.Ok(order)
            : StorefrontProblems.NotFound(http, Refusal.Of("Order.NotFound", "You have no such order."));
}
