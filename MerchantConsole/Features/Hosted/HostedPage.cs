using Microsoft.AspNetCore.Antiforgery;

namespace MerchantConsole.Features.Hosted;

/// <summary>What every hosted page knows of its request: the merchant, the signed-in customer, where it is, its form token.</summary>
public sealed record HostedPage(HostedMerchant Merchant, Guid? CustomerId, string PathAndQuery, AntiforgeryTokenSet? Antiforgery, TimeZoneInfo Zone)
{
    public bool SignedIn => CustomerId is not null;
    /// <summary>A refusal or validation message shown above the page's form.</summary>
    public string? Error { get; init; }
    /// <summary>Reload the page after this many seconds (a payment result waiting for fulfilment).</summary>
    public int? RefreshSeconds { get; init; }
}

/// <summary>The addresses of the hosted pages (see ARCHITECTURE.md, Hosted card pages).</summary>
public static class HostedUrls
{
    private static string E(string value) => Uri.EscapeDataString(value);

    public static string Home(string merchant) => $"{HostedSetup.BasePath}/{E(merchant)}";
    public static string Guide(string merchant, Guid planId, string? store = null) =>
        $"{Home(merchant)}/plans/{planId}" + (string.IsNullOrEmpty(store) ? "" : $"?store={E(store)}");
    public static string Qr(string merchant, Guid planId, string? store = null) =>
        $"{Home(merchant)}/plans/{planId}/qr.png" + (string.IsNullOrEmpty(store) ? "" : $"?store={E(store)}");
    public static string BuyConfirm(string merchant, Guid planId, Guid productId) => $"{Home(merchant)}/plans/{planId}/confirm?product={productId}";
    public static string JoinConfirm(string merchant, Guid planId, Guid channelId, string? store = null) =>
        $"{Home(merchant)}/plans/{planId}/confirm?channel={channelId}" + (string.IsNullOrEmpty(store) ? "" : $"&store={E(store)}");
    public static string PlaceOrder(string merchant, Guid planId) => $"{Home(merchant)}/plans/{planId}/orders";
    public static string Join(string merchant, Guid planId) => $"{Home(merchant)}/plans/{planId}/join";
    public static string SignIn(string merchant, string? returnUrl = null) =>
        $"{Home(merchant)}/signin" + (string.IsNullOrEmpty(returnUrl) ? "" : $"?returnUrl={E(returnUrl)}");
    public static string SendCode(string merchant) => $"{Home(merchant)}/signin/code";
    public static string SignOut(string merchant) => $"{Home(merchant)}/signout";
    public static string Card(string merchant) => $"{Home(merchant)}/card";
    public static string Orders(string merchant) => $"{Home(merchant)}/orders";
    public static string Order(string merchant, Guid orderId) => $"{Orders(merchant)}/{orderId}";
    public static string Result(string merchant, Guid orderId) => $"{Orders(merchant)}/{orderId}/result";
}
