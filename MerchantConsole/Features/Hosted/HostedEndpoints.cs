using System.Globalization;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Orders;
using MerchantConsole.Features.Storefront;
using MerchantConsole.Hosting;
using MerchantConsole.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MerchantConsole.Features.Hosted;

/// <summary>
/// The hosted pages' endpoints. Each renders a component statically (<see cref="RazorComponentResult"/>): no interactive
/// render mode, no circuit per customer. Forms post back here with an antiforgery token; a bad form answers the same page
/// with the message and changes nothing. A filter finds the merchant by code and puts the request in its scope, so another
/// merchant's plan or another customer's order is simply not found.
/// </summary>
internal static class HostedEndpoints
{
    private const string MerchantItem = "hosted.merchant";
    private const string Actor = "hosted";
    private const int MaxStoreCodeLength = 64;

    public static void Map(IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup(HostedSetup.BasePath + "/{merchantCode}").AddEndpointFilter(InMerchantScope).AllowAnonymous().ExcludeFromDescription();
        pages.MapGet("", HomeAsync);
        pages.MapGet("/plans/{planId:guid}", GuideAsync);
        pages.MapGet("/plans/{planId:guid}/qr.png", QrAsync);
        pages.MapGet("/plans/{planId:guid}/confirm", ConfirmAsync);
        pages.MapPost("/plans/{planId:guid}/orders", PlaceOrderAsync);
        pages.MapPost("/plans/{planId:guid}/join", JoinAsync);
        pages.MapGet("/signin", SignInPageAsync);
        pages.MapPost("/signin/code", SendCodeAsync);
        pages.MapPost("/signin", SignInAsync);
        pages.MapPost("/signout", (Delegate)SignOutAsync);
        pages.MapGet("/card", CardAsync);
        pages.MapGet("/orders", OrdersAsync);
        pages.MapGet("/orders/{orderId:guid}", OrderAsync);
        pages.MapGet("/orders/{orderId:guid}/result", ResultAsync);
        // Anything else under a merchant's pages (a malformed id, say) is the hosted not-found page, not the console's.
        pages.MapFallback("/{**rest}", (Delegate)NotFoundAsync);
    }

    private static async ValueTask<object?> InMerchantScope(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var merchant = await http.RequestServices.GetRequiredService<HostedQueries>()
            .MerchantAsync(http.GetRouteValue("merchantCode") as string ?? "", http.RequestAborted);
        if (merchant is null)
            return Render<HostedNotFound>(new { Page = (HostedPage?)null }, StatusCodes.Status404NotFound);
        http.RequestServices.GetRequiredService<MerchantScope>().UseMerchant(merchant.Id, Actor);
        http.Items[MerchantItem] = merchant;
        return await next(context);
    }

    private static HostedMerchant MerchantOf(HttpContext http) => (HostedMerchant)http.Items[MerchantItem]!;

    /// <summary>The page's context; a form token when the page has a form (every signed-in page has the sign-out form).</summary>
    private static async Task<HostedPage> PageAsync(HttpContext http, bool form = false, string? pathAndQuery = null)
    {
        var merchant = MerchantOf(http);
        var customer = await HostedAuth.CustomerOfAsync(http, merchant.Id);
        var tokens = form || customer is not null ? http.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(http) : null;
        return new HostedPage(merchant, customer, pathAndQuery ?? http.Request.Path + http.Request.QueryString, tokens,
            TimeZoneInfo.FindSystemTimeZoneById(merchant.TimeZoneId));
    }

    private static RazorComponentResult Render<TPage>(object parameters, int status = StatusCodes.Status200OK) where TPage : IComponent =>
        new RazorComponentResult<TPage>(parameters) { StatusCode = status };

    private static RazorComponentResult NotFound(HostedPage page) => Render<HostedNotFound>(new { Page = page }, StatusCodes.Status404NotFound);

    private static IResult ToSignIn(HostedPage page) => Results.Redirect(HostedUrls.SignIn(page.Merchant.Code, page.PathAndQuery));

    private static string Text(HttpContext http, Refusal refusal) => http.RequestServices.GetRequiredService<RefusalText>().Render(refusal);

    private static string Text(HttpContext http, string name, params object[] arguments) =>
        http.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<HostedStrings>>()[name, arguments];

    private static Guid? GuidOf(string? text) => Guid.TryParse(text, out var id) && id != Guid.Empty ? id : null;

    private static string? StoreOf(string? text) => string.IsNullOrWhiteSpace(text) || text.Length > MaxStoreCodeLength ? null : text.Trim();

    /// <summary>A form post with a valid antiforgery token, or null (a page answered with the message instead).</summary>
    private static async Task<IFormCollection?> FormAsync(HttpContext http)
    {
        if (!http.Request.HasFormContentType)
            return null;
        var antiforgery = http.RequestServices.GetRequiredService<IAntiforgery>();
        return await antiforgery.IsRequestValidAsync(http) ? await http.Request.ReadFormAsync(http.RequestAborted) : null;
    }

    /// <summary>Only a hosted page of the same merchant; anything else (another site, a console page) goes home.</summary>
    private static string SafeReturn(HostedMerchant merchant, string? returnUrl)
    {
        var home = HostedUrls.Home(merchant.Code);
        if (string.IsNullOrEmpty(returnUrl) || returnUrl.Length > 2048 || returnUrl.Any(char.IsControl) || returnUrl.Contains('\\')
            || returnUrl.Contains("//", StringComparison.Ordinal) || returnUrl.Contains("..", StringComparison.Ordinal)
            || !(returnUrl == home || returnUrl.StartsWith(home + "/", StringComparison.Ordinal) || returnUrl.StartsWith(home + "?", StringComparison.Ordinal)))
            return home;
        return returnUrl;
    }

    private static async Task<IResult> NotFoundAsync(HttpContext http) => NotFound(await PageAsync(http));

    private static async Task<IResult> HomeAsync(HttpContext http, StorefrontQueries storefront, CancellationToken ct) =>
        Render<HomePage>(new { Page = await PageAsync(http), Plans = await storefront.PlansAsync(null, ct) });

    private static async Task<IResult> GuideAsync(Guid planId, string? store, HttpContext http, HostedQueries queries, StorefrontQueries storefront,
        CancellationToken ct)
    {
        var page = await PageAsync(http);
        if (await queries.GuideAsync(planId, ct) is not { } guide)
            return NotFound(page);
        var member = page.CustomerId is { } customer && (await storefront.MembershipsAsync(customer, null, ct)).Any(m => m.PlanId == planId);
        return Render<GuidePage>(new { Page = page, Guide = guide, Store = StoreOf(store), IsMember = member });
    }

    /// <summary>A QR code of the guide page's absolute address (with the store's code), for staff to print.</summary>
    private static async Task<IResult> QrAsync(Guid planId, string? store, HttpContext http, HostedQueries queries, PublicUrls urls, CancellationToken ct)
    {
        var codes = await queries.StoreCodesAsync(planId, ct);
        var wanted = StoreOf(store);
        var chosen = wanted is null ? null : codes?.FirstOrDefault(c => string.Equals(c, wanted, StringComparison.OrdinalIgnoreCase));
        if (codes is null || (wanted is not null && chosen is null))
            return NotFound(await PageAsync(http));
        var png = HostedSetup.QrPng(urls.Absolute(HostedUrls.Guide(MerchantOf(http).Code, planId, chosen)).ToString());
        http.Response.Headers.CacheControl = "public, max-age=3600";
        return Results.File(png, "image/png");
    }

    /// <summary>What a confirm page offers: a product of a Purchase channel, or a free channel the customer may use here.</summary>
    private sealed record Offer(StorefrontPlan Plan, StorefrontTier Tier, StorefrontChannel Channel, string? Store);

    private static Offer? OfferOf(StorefrontPlan plan, Guid? productId, Guid? channelId, string? store)
    {
        foreach (var tier in plan.Tiers)
            foreach (var channel in tier.Channels)
            {
                if (productId is { } product && channel.Product?.Id == product)
                    return new Offer(plan, tier, channel, null);
                if (channelId is { } id && channel.Id == id && channel.Product is null)
                {
                    if (channel.Type is "FreeSignup" or "InviteCode")
                        return new Offer(plan, tier, channel, null);
                    // A store's channel opens only from that store's QR code.
                    if (channel.Type == "StoreQr" && store is not null && string.Equals(channel.StoreCode, store, StringComparison.OrdinalIgnoreCase))
                        return new Offer(plan, tier, channel, channel.StoreCode);
                }
            }
        return null;
    }

    private static RazorComponentResult Confirm(HostedPage page, Offer offer, string? inviteCode = null, int status = StatusCodes.Status200OK) =>
        Render<ConfirmPage>(new
        {
            Page = page,
            offer.Plan,
            offer.Tier,
            offer.Channel,
            offer.Store,
            IdempotencyKey = Guid.NewGuid().ToString("N"),
            InviteCode = inviteCode,
        }, status);

    private static async Task<IResult> ConfirmAsync(Guid planId, string? product, string? channel, string? store, HttpContext http,
        StorefrontQueries storefront, CancellationToken ct)
    {
        var page = await PageAsync(http, form: true);
        if (!page.SignedIn)
            return ToSignIn(page);
        if (await storefront.PlansAsync(planId, ct) is not [var plan] || OfferOf(plan, GuidOf(product), GuidOf(channel), StoreOf(store)) is not { } offer)
            return NotFound(page);
        return Confirm(page, offer);
    }

    private static async Task<IResult> PlaceOrderAsync(Guid planId, HttpContext http, StorefrontQueries storefront, OrderService orders, CancellationToken ct)
    {
        var form = await FormAsync(http);
        var productId = GuidOf(form?["productId"]);
        var page = await PageAsync(http, form: true, HostedUrls.Guide(MerchantOf(http).Code, planId));
        if (!page.SignedIn)
            return ToSignIn(page);
        if (await storefront.PlansAsync(planId, ct) is not [var plan])
            return NotFound(page);
        if (OfferOf(plan, productId, null, null) is not { } offer)
            return Render<GuidePage>(new { Page = page with { Error = Text(http, "Form.ChooseProduct") }, Guide = new HostedGuide(plan, null) },
                StatusCodes.Status400BadRequest);
        page = page with { PathAndQuery = HostedUrls.BuyConfirm(page.Merchant.Code, planId, offer.Channel.Product!.Id) };
        if (form is null)
            return Confirm(page with { Error = Text(http, "Form.Expired") }, offer, status: StatusCodes.Status400BadRequest);

        var result = await orders.PlaceAsync(page.CustomerId!.Value, planId, offer.Channel.Product.Id, form["key"], ct);
        if (result.Order is { } order)
        {
            var back = HostedUrls.Result(page.Merchant.Code, order.Id);
            // Pending: the provider's pay page, which may send the customer back; otherwise straight to the result.
            return Results.Redirect(order.PayUrl is { } pay ? $"{pay}?returnUrl={Uri.EscapeDataString(back)}" : back);
        }
        if (result.NotFound)
            return NotFound(page);
        var why = result.Refusal!;
        // The key is the form's own hidden field: a bad one is a broken form, not something the customer typed.
        return why.Code == "Order.IdempotencyKeyInvalid"
            ? Confirm(page with { Error = Text(http, "Form.Expired") }, offer, status: StatusCodes.Status400BadRequest)
            : Confirm(page with { Error = Text(http, why) }, offer, status: StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> JoinAsync(Guid planId, HttpContext http, StorefrontQueries storefront, StorefrontCustomers customers,
        MembershipEnrolment enrolment, CancellationToken ct)
    {
        var form = await FormAsync(http);
        var page = await PageAsync(http, form: true, HostedUrls.Guide(MerchantOf(http).Code, planId));
        if (!page.SignedIn)
            return ToSignIn(page);
        if (await storefront.PlansAsync(planId, ct) is not [var plan])
            return NotFound(page);
        var store = StoreOf(form?["store"]);
        if (OfferOf(plan, null, GuidOf(form?["channelId"]), store) is not { } offer)
            return Render<GuidePage>(new { Page = page with { Error = Text(http, "Form.ChooseChannel") }, Guide = new HostedGuide(plan, null), Store = store },
                StatusCodes.Status400BadRequest);
        page = page with { PathAndQuery = HostedUrls.JoinConfirm(page.Merchant.Code, planId, offer.Channel.Id, offer.Store) };
        if (form is null)
            return Confirm(page with { Error = Text(http, "Form.Expired") }, offer, status: StatusCodes.Status400BadRequest);
        var inviteCode = form["inviteCode"].ToString().Trim();
        if (offer.Channel.NeedsInviteCode && (inviteCode.Length is 0 or > 64))
            return Confirm(page with { Error = Text(http, "Form.InviteCodeRequired") }, offer, inviteCode.Length > 64 ? null : inviteCode,
                StatusCodes.Status400BadRequest);
        if (await customers.FindAsync(page.CustomerId!.Value, ct) is not { } customer)
            return ToSignIn(page);

        var result = await enrolment.EnrolAsync(new EnrolRequest(planId, offer.Tier.Id, offer.Channel.Id,
            new CustomerDetails(customer.Phone, customer.Name), EnrolmentSource.SelfService, offer.Channel.NeedsInviteCode ? inviteCode : null), ct);
        if (result.Succeeded)
            return Results.Redirect(HostedUrls.Card(page.Merchant.Code));
        var why = result.Refusal!;
        return Confirm(page with { Error = Text(http, why) }, offer, inviteCode,
            why.Code == "Enrolment.InviteCodeWrong" ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> SignInPageAsync(string? returnUrl, HttpContext http)
    {
        var page = await PageAsync(http, form: true);
        var target = SafeReturn(page.Merchant, returnUrl);
        return page.SignedIn ? Results.Redirect(target) : Render<SignInPage>(new { Page = page, ReturnUrl = target });
    }

    private static RazorComponentResult SignInForm(HostedPage page, string returnUrl, string? phone, bool codeSent, string? error,
        int status = StatusCodes.Status400BadRequest) =>
        Render<SignInPage>(new { Page = page with { Error = error }, ReturnUrl = returnUrl, Phone = phone, CodeSent = codeSent }, error is null ? StatusCodes.Status200OK : status);

    /// <summary>What the form shows again after a refusal: the text typed, unless it is longer than the field takes.</summary>
    private static string? Redisplayed(string typed) => typed.Length <= PhoneNumber.MaxTypedLength ? typed : null;

    private static string? PhoneOf(string? typed, out Refusal? refusal)
    {
        try
        {
            refusal = null;
            return PhoneNumber.Normalise(typed);
        }
        catch (DomainException invalid)
        {
            refusal = invalid.Refusal;
            return null;
        }
    }

    private static RazorComponentResult TooMany(HttpContext http, HostedPage page, string returnUrl, string? phone, bool codeSent, TimeSpan wait)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return SignInForm(page, returnUrl, phone, codeSent,
            Text(http, Refusal.Of("Storefront.TooManyRequests", "Too many requests; try again in {Seconds} seconds.", ("Seconds", seconds))),
            StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> SendCodeAsync(HttpContext http, SignInCodes codes, HostedCodeLimiter ipLimiter, ISmsSender sms,
        CancellationToken ct)
    {
        var form = await FormAsync(http);
        var page = await PageAsync(http, form: true, HostedUrls.SignIn(MerchantOf(http).Code));
        var returnUrl = SafeReturn(page.Merchant, form?["returnUrl"]);
        if (form is null)
            return SignInForm(page, returnUrl, null, false, Text(http, "Form.Expired"));
        var typed = form["phone"].ToString();
        if (PhoneOf(typed, out var invalid) is not { } phone)
            return SignInForm(page, returnUrl, Redisplayed(typed), false, Text(http, invalid!));
        var merchant = page.Merchant;
        if (ipLimiter.TryTake(merchant.Id, http.Connection.RemoteIpAddress?.ToString()) is { } waitIp)
            return TooMany(http, page, returnUrl, phone, false, waitIp);
        var issue = await codes.IssueAsync(merchant.Id, phone, ct);
        if (!issue.Issued)
            return TooMany(http, page, returnUrl, phone, false, issue.RetryAfter!.Value);
        await sms.SendSignInCodeAsync(new SmsMerchant(merchant.Id, merchant.Code, merchant.Name), phone, issue.Code!, issue.ExpiresAt, ct);
        return SignInForm(page, returnUrl, phone, true, null);
    }

    private static async Task<IResult> SignInAsync(HttpContext http, SignInCodes codes, StorefrontCustomers customers, CancellationToken ct)
    {
        var form = await FormAsync(http);
        var page = await PageAsync(http, form: true, HostedUrls.SignIn(MerchantOf(http).Code));
        var returnUrl = SafeReturn(page.Merchant, form?["returnUrl"]);
        if (form is null)
            return SignInForm(page, returnUrl, null, false, Text(http, "Form.Expired"));
        var typed = form["phone"].ToString();
        if (PhoneOf(typed, out var invalid) is not { } phone)
            return SignInForm(page, returnUrl, Redisplayed(typed), false, Text(http, invalid!));
        var code = form["code"].ToString().Trim();
        var merchant = page.Merchant;
        var refusal = code.Length == 0
            ? Refusal.Of("Storefront.CodeRequired", "Type the code we sent to your phone.")
            : (code.Length > 12 ? CodeCheck.Wrong : await codes.CheckAsync(merchant.Id, phone, code, ct)) switch
            {
                CodeCheck.Accepted => null,
                CodeCheck.Expired => Refusal.Of("Storefront.CodeExpired", "That code has expired; ask for a new one."),
                CodeCheck.Wrong => Refusal.Of("Storefront.CodeWrong", "That code is not right."),
                _ => Refusal.Of("Storefront.NoCode", "There is no code waiting for this phone: it was used, replaced or tried too often. Ask for a new one."),
            };
        if (refusal is not null)
            return SignInForm(page, returnUrl, phone, true, Text(http, refusal));
        var customer = await customers.FindOrCreateAsync(merchant.Id, phone, ct);
        await HostedAuth.SignInAsync(http, customer);
        return Results.Redirect(returnUrl);
    }

    private static async Task<IResult> SignOutAsync(HttpContext http)
    {
        if (await FormAsync(http) is not null)
            await HostedAuth.SignOutAsync(http);
        return Results.Redirect(HostedUrls.Home(MerchantOf(http).Code));
    }

    private static async Task<IResult> CardAsync(HttpContext http, StorefrontQueries storefront, HostedQueries queries, CancellationToken ct)
    {
        var page = await PageAsync(http);
        if (page.CustomerId is not { } customerId)
            return ToSignIn(page);
        var name = await queries.CustomerNameAsync(customerId, ct) ?? "";
        var cards = new List<(StorefrontMembership, HostedFace?, SampleCard)>();
        foreach (var membership in await storefront.MembershipsAsync(customerId, null, ct))
            cards.Add((membership, membership.CardFace is { } face ? await queries.FaceAsync(face.Design, ct) : null,
                HostedText.CardOf(page, membership, name, page.Merchant.Currency)));
        return Render<MyCardPage>(new { Page = page, Cards = (IReadOnlyList<(StorefrontMembership, HostedFace?, SampleCard)>)cards });
    }

    private static async Task<IResult> OrdersAsync(HttpContext http, OrderService orders, HostedQueries queries, CancellationToken ct)
    {
        var page = await PageAsync(http);
        if (page.CustomerId is not { } customerId)
            return ToSignIn(page);
        var mine = await orders.MineAsync(customerId, null, ct);
        return Render<OrdersPage>(new { Page = page, Orders = mine, Names = await queries.NamesAsync(mine.Select(o => o.PlanId), ct) });
    }

    private static async Task<IResult> OrderAsync(Guid orderId, HttpContext http, OrderService orders, HostedQueries queries, CancellationToken ct)
    {
        var page = await PageAsync(http);
        if (page.CustomerId is not { } customerId)
            return ToSignIn(page);
        if (await orders.MineAsync(customerId, orderId, ct) is not [var order])
            return NotFound(page);
        return Render<OrderPage>(new { Page = page, Order = order, Names = await queries.NamesAsync([order.PlanId], ct) });
    }

    private static async Task<IResult> ResultAsync(Guid orderId, HttpContext http, OrderService orders, HostedQueries queries, CancellationToken ct)
    {
        var page = await PageAsync(http);
        if (page.CustomerId is not { } customerId)
            return ToSignIn(page);
        if (await orders.MineAsync(customerId, orderId, ct) is not [var order])
            return NotFound(page);
        // Paid but not yet fulfilled: the card is seconds away; waiting for payment: look again now and then.
        var refresh = ResultPage.OutcomeOf(order) switch
        {
            "Issuing" => 2,
            "Waiting" => 5,
            _ => (int?)null,
        };
        return Render<ResultPage>(new { Page = page with { RefreshSeconds = refresh }, Order = order, Names = await queries.NamesAsync([order.PlanId], ct) });
    }
}
