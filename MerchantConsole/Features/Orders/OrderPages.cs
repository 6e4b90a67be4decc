using MerchantConsole.Data;
using MerchantConsole.Domain.Orders;
using MudBlazor;

namespace MerchantConsole.Features.Orders;

/// <summary>Marker for the staff order pages' resx pair (OrderPageStrings.resx / .zh-CN.resx).</summary>
public sealed class OrderPageStrings;

/// <summary>The staff side of orders: the order list, the order page and support's reconciliation report.</summary>
public static class OrderPages
{
    /// <summary>Who may look orders up: store managers answer customers at the till.</summary>
    public const string ViewRoles = StaffRoles.MerchantAdmin + "," + StaffRoles.StoreManager;

    /// <summary>Who may refund an order: money goes back, so the merchant's admins only.</summary>
    public const string RefundRoles = StaffRoles.MerchantAdmin;

    public static bool CanRefund(System.Security.Claims.ClaimsPrincipal user) => user.IsInRole(RefundRoles);

    public const string ListUrl = "/orders";
    public const string ReconciliationUrl = "/support/orders";

    public static string OrderUrl(Guid orderId) => $"/orders/{orderId}";

    public static IServiceCollection AddOrderPages(this IServiceCollection services)
    {
        services.AddScoped<OrderQueries>();
        services.AddScoped<OrderReconciliation>();
        services.AddOptions<DemoCustomerOptions>().BindConfiguration(DemoCustomerOptions.Section);
        services.AddScoped<IDemoMerchantSeed, OrdersDemo>();
        return services;
    }

    public static Color ColourOf(OrderStatus status) => status switch
    {
        OrderStatus.Fulfilled => Color.Success,
        OrderStatus.Paid => Color.Info,
        OrderStatus.Pending => Color.Warning,
        OrderStatus.Refunded => Color.Secondary,
        _ => Color.Dark,
    };
}
