using System.Net;
using Hangfire;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MerchantConsole.Features.Orders;

/// <summary>Marker for the orders' resx pair (OrderStrings.resx / .zh-CN.resx).</summary>
public sealed class OrderStrings;

/// <summary>Orders, the sandbox payment provider, its callback and fulfilment. See ARCHITECTURE.md, Orders.</summary>
public static class OrdersSetup
{
    public const string CallbackPath = "/api/payments/sandbox/callback";
    public const string SandboxPayPath = "/sandbox/pay";
    private const int MaxCallbackBytes = 4096;

    public static IServiceCollection AddOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<OrderOptions>().Bind(configuration.GetSection(OrderOptions.Section))
            .Validate(o => o.PayWithin > TimeSpan.Zero && o.ExpiryBatchSize > 0 && o.ReconcileBatchSize > 0 && o.ReconcileAfter >= TimeSpan.Zero
                    && o.RecordBatchSize > 0 && o.FulfilBatchSize > 0 && o.SweepBatchSize > 0 && o.SweepAfter >= TimeSpan.Zero,
                "Orders: PayWithin, ExpiryBatchSize, ReconcileBatchSize, RecordBatchSize, FulfilBatchSize and SweepBatchSize > 0, ReconcileAfter and SweepAfter >= 0.").ValidateOnStart();
        services.AddOptions<SandboxPaymentOptions>().Bind(configuration.GetSection(SandboxPaymentOptions.Section))
            .Validate(o => o.Secret.Length >= 16, "Payments:Sandbox:Secret needs at least 16 characters.").ValidateOnStart();
        services.AddHttpClient(nameof(SandboxPaymentProvider));
        services.AddSingleton<PaymentSignatures>();
        services.AddSingleton<ISandboxCallbackDelivery, HttpSandboxCallbackDelivery>();
        services.AddSingleton<SandboxPaymentProvider>();
        services.AddSingleton<IPaymentProvider>(sp => sp.GetRequiredService<SandboxPaymentProvider>());
        services.AddScoped<OrderService>();
        services.AddScoped<OrderPayments>();
        services.AddTransient<PaymentRecording>();
        services.AddSingleton<OrderPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderPipeline>());
        services.AddTransient<OrderFulfilment>();
        services.AddTransient<PaidOrderSweepJob>();
        services.AddTransient<OrderExpiryJob>();
        services.AddTransient<OrderRefunds>();
        services.AddTransient<PaymentReconcileJob>();
        return services;
    }

    public static WebApplication MapOrders(this WebApplication app)
    {
        app.MapPost(CallbackPath, async (HttpContext http, OrderPayments payments) =>
        {
            if (http.Request.ContentLength is > MaxCallbackBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            if (buffer.Length > MaxCallbackBytes)
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            var outcome = await payments.ReceiveAsync(buffer.ToArray(), http.Request.Headers[PaymentSignatures.Header], http.RequestAborted);
            return outcome switch
            {
                CallbackOutcome.Accepted => Results.Ok(new { received = true }),
                CallbackOutcome.BadSignature => Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Bad signature."),
                CallbackOutcome.UnknownOrder => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown payment."),
                CallbackOutcome.WrongAmount => Results.Problem(statusCode: StatusCodes.Status422UnprocessableEntity, title: "Amount is not the order's."),
                _ => Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Malformed callback."),
            };
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        app.MapGet(SandboxPayPath + "/{paymentId}", async (string paymentId, string? returnUrl, SandboxPaymentProvider sandbox,
            IStringLocalizer<OrderStrings> t, CancellationToken ct) =>
            await sandbox.FindAsync(paymentId, ct) is { } payment
                ? Results.Content(PayPage(payment, LocalReturnUrl(returnUrl), t), "text/html; charset=utf-8")
                : Results.NotFound()).AllowAnonymous().ExcludeFromDescription();
        app.MapPost(SandboxPayPath + "/{paymentId}", async (string paymentId, HttpContext http, SandboxPaymentProvider sandbox,
            IStringLocalizer<OrderStrings> t, CancellationToken ct) =>
        {
            // How to deliver the callback: the page's choice (form field or query "delivery"), else what the payment was told.
            string? chosen = http.Request.Query["delivery"];
            var form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : null;
            if (string.IsNullOrEmpty(chosen))
                chosen = form?["delivery"];
            SandboxDelivery? mode = Enum.TryParse<SandboxDelivery>(chosen, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
            // Back to the shop's result page, which waits for the card; only an address on this site (no open redirect).
            var back = LocalReturnUrl(form?["returnUrl"]) is { } local
                ? $"<p><a href=\"{WebUtility.HtmlEncode(local)}\" data-testid=\"sandbox-return\">{WebUtility.HtmlEncode(t["Sandbox.Return"])}</a></p>"
                : "";
            return await sandbox.PayAsync(paymentId, ct, mode)
                ? Results.Content(Html(t["Sandbox.Title"], $"<p data-testid=\"sandbox-paid\">{WebUtility.HtmlEncode(t["Sandbox.Paid"])}</p>{back}"),
                    "text/html; charset=utf-8")
                : Results.NotFound();
        }).AllowAnonymous().DisableAntiforgery().ExcludeFromDescription();

        var options = app.Services.GetRequiredService<IOptions<OrderOptions>>().Value;
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<OrderExpiryJob>(OrderExpiryJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), options.ExpiryCron);
        app.Services.GetRequiredService<IRecurringJobManager>()
            .AddOrUpdate<PaymentReconcileJob>(PaymentReconcileJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), options.ReconcileCron);
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<PaidOrderSweepJob>(PaidOrderSweepJob.RecurringJobId, j => j.RunAsync(CancellationToken.None), options.SweepCron);
        // At start too: orders a stopped process recorded as Paid but never fulfilled.
        recurring.Trigger(PaidOrderSweepJob.RecurringJobId);
        return app;
    }

    /// <summary>A path on this site ("/m/…"), never another site's address ("//evil", "https://…", "/\\evil"); else null.</summary>
    public static string? LocalReturnUrl(string? url) =>
        url is { Length: > 1 and <= 500 } && url[0] == '/' && url[1] is not ('/' or '\\') && Uri.IsWellFormedUriString(url, UriKind.Relative) ? url : null;

    private static string PayPage(SandboxPaymentProvider.SandboxPayment payment, string? returnUrl, IStringLocalizer<OrderStrings> t)
    {
        var amount = $"{payment.Amount.MinorUnits / 100m:0.00} {payment.Amount.Currency}";
        var body = $"""
            <p>{WebUtility.HtmlEncode(t["Sandbox.Amount"])}: <strong data-testid="sandbox-amount">{WebUtility.HtmlEncode(amount)}</strong></p>
            <form method="post" action="{SandboxPayPath}/{WebUtility.HtmlEncode(Uri.EscapeDataString(payment.PaymentId))}">
              <label>{WebUtility.HtmlEncode(t["Sandbox.Delivery"])}
                <select name="delivery" data-testid="sandbox-delivery">{DeliveryOptions(payment.Delivery, t)}</select></label>
              {(returnUrl is null ? "" : $"<input type=\"hidden\" name=\"returnUrl\" value=\"{WebUtility.HtmlEncode(returnUrl)}\">")}
              <button type="submit" data-testid="sandbox-pay">{WebUtility.HtmlEncode(t["Sandbox.Pay"])}</button>
            </form>
            """;
        return Html(t["Sandbox.Title"], body);
    }

    private static string DeliveryOptions(SandboxDelivery current, IStringLocalizer<OrderStrings> t) => string.Concat(
        Enum.GetValues<SandboxDelivery>().Select(m =>
            $"<option value=\"{m}\"{(m == current ? " selected" : "")}>{WebUtility.HtmlEncode(t[$"Sandbox.Delivery.{m}"])}</option>"));

    private static string Html(string title, string body) => $"""
        <!DOCTYPE html>
        <html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{WebUtility.HtmlEncode(title)}</title></head>
        <body><h1>{WebUtility.HtmlEncode(title)}</h1>{body}</body></html>
        """;
}
