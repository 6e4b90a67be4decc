using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Features.Members;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace MerchantConsole.Features.Storefront;

public sealed record SendCodeRequest(string? Phone);
public sealed record CodeSent(string Phone, DateTimeOffset ExpiresAt);
public sealed record TokenRequest(string? Phone, string? Code);
public sealed record JoinRequest(Guid? ChannelId, string? InviteCode);

/// <summary>
/// The endpoints under <c>/api/storefront/v1/{merchantCode}</c>. A filter finds the merchant by its code (404 when
/// unknown), refuses a token issued by another merchant (404: that merchant's records do not exist for it), and puts the
/// request in that merchant's scope, so every query below sees only its rows.
/// </summary>
public static class StorefrontApi
{
    private const string MerchantItem = "storefront.merchant";
    private const string Actor = "storefront";

    public static void Map(IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(StorefrontSetup.BasePath + "/{merchantCode}")
            .WithTags("Storefront")
            .AddEndpointFilter(InMerchantScope)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);

        api.MapPost("/auth/code", SendCodeAsync).RequireRateLimiting(StorefrontSetup.CodeRequestLimit)
            .WithName("SendSignInCode").WithSummary("Sends a one-time sign-in code to a phone (sandbox SMS).")
            .ProducesValidationProblem();
        var anonymous = api.MapGroup("").RequireRateLimiting(StorefrontSetup.RequestLimit);
        anonymous.MapPost("/auth/token", IssueTokenAsync)
            .WithName("IssueToken").WithSummary("Exchanges phone + code for a bearer token; creates the customer on first sign-in.")
            .Produces<AccessTokenResponse>().ProducesValidationProblem();
        anonymous.MapGet("/plans", PlansAsync)
            .WithName("ListPlans").WithSummary("Active plans with tiers, channels, products, benefits in force and the activity feed.")
            .WithDescription("The same for every customer, so it may be up to 5 seconds old.")
            .Produces<IReadOnlyList<StorefrontPlan>>(StatusCodes.Status200OK, "application/json");
        anonymous.MapGet("/plans/{planId:guid}", PlanAsync)
            .WithName("GetPlan").WithSummary("One Active plan.");

        var customer = api.MapGroup("").RequireAuthorization(StorefrontAuth.CustomerPolicy).RequireRateLimiting(StorefrontSetup.RequestLimit)
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        customer.MapPost("/plans/{planId:guid}/join", JoinAsync)
            .WithName("JoinPlan").WithSummary("Joins a free channel (FreeSignup, InviteCode, StoreQr); joining again returns the same membership.")
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        customer.MapGet("/me/memberships", MyMembershipsAsync)
            .WithName("ListMyMemberships").WithSummary("My memberships: card number, tier, expiry and the card face they were issued under.");
        customer.MapGet("/me/memberships/{membershipId:guid}", MyMembershipAsync)
            .WithName("GetMyMembership").WithSummary("One of my memberships.");
        customer.MapGet("/me/coupons", MyCouponsAsync)
            .WithName("ListMyCoupons").WithSummary("Coupons issued to my memberships.");
        Orders.StorefrontOrders.Map(customer);
    }

    private static async ValueTask<object?> InMerchantScope(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var code = (http.GetRouteValue("merchantCode") as string ?? "").Trim().ToLowerInvariant();
        var services = http.RequestServices;
        SmsMerchant? merchant = null;
        if (code.Length is > 0 and <= 64)
        {
            // Every request names its merchant: a known one is reused for a few seconds (codes anyone can make up are not kept).
            var cache = services.GetRequiredService<IMemoryCache>();
            var key = ("storefront-merchant", code);
            if (!cache.TryGetValue(key, out merchant))
            {
                await using var db = await services.GetRequiredService<IDbContextFactory<MerchantDbContext>>().CreateDbContextAsync(http.RequestAborted);
                merchant = await db.Merchants.AsNoTracking().Where(m => m.Code == code)
                    .Select(m => new SmsMerchant(m.Id, m.Code, m.Name)).SingleOrDefaultAsync(http.RequestAborted);
                if (merchant is not null)
                    cache.Set(key, merchant, StorefrontPlansCache.CacheTime);
            }
        }
        if (merchant is null)
            return StorefrontProblems.NotFound(http, StorefrontProblems.MerchantNotFound);
        // A token of another merchant: its customer does not exist here.
        if (http.User.Identity?.AuthenticationType == StorefrontAuth.Scheme && StorefrontAuth.CustomerOf(http.User, merchant.Id) is null)
            return StorefrontProblems.NotFound(http, Refusal.Of("Storefront.CustomerNotFound", "That customer is not known to this merchant."));
        services.GetRequiredService<MerchantScope>().UseMerchant(merchant.Id, Actor);
        http.Items[MerchantItem] = merchant;
        return await next(context);
    }

    internal static SmsMerchant MerchantOf(HttpContext http) => (SmsMerchant)http.Items[MerchantItem]!;

    private static IResult? ValidPhone(HttpContext http, string? text, out string phone)
    {
        try
        {
            phone = PhoneNumber.Normalise(text);
            return null;
        }
        catch (DomainException refusal)
        {
            phone = "";
            return StorefrontProblems.Invalid(http, "phone", refusal.Refusal);
        }
    }

    private static async Task<IResult> SendCodeAsync(SendCodeRequest request, HttpContext http, SignInCodes codes, ISmsSender sms, CancellationToken ct)
    {
        if (ValidPhone(http, request.Phone, out var phone) is { } invalid)
            return invalid;
        var merchant = MerchantOf(http);
        var issue = await codes.IssueAsync(merchant.Id, phone, ct);
        if (!issue.Issued)
            return StorefrontSetup.TooManyRequests(http, issue.RetryAfter);
        await sms.SendSignInCodeAsync(merchant, phone, issue.Code!, issue.ExpiresAt, ct);
        return TypedResults.Accepted((string?)null, new CodeSent(phone, issue.ExpiresAt));
    }

    private static async Task<IResult> IssueTokenAsync(TokenRequest request, HttpContext http, SignInCodes codes, StorefrontCustomers customers,
        CancellationToken ct)
    {
        if (ValidPhone(http, request.Phone, out var phone) is { } invalid)
            return invalid;
        var typed = request.Code?.Trim() ?? "";
        if (typed.Length == 0)
            return StorefrontProblems.Invalid(http, "code", Refusal.Of("Storefront.CodeRequired", "Type the code we sent to your phone."));
        var merchant = MerchantOf(http);
        var check = typed.Length > 12 ? CodeCheck.Wrong : await codes.CheckAsync(merchant.Id, phone, typed, ct);
        var refusal = check switch
        {
            CodeCheck.Accepted => null,
            CodeCheck.Expired => Refusal.Of("Storefront.CodeExpired", "That code has expired; ask for a new one."),
            CodeCheck.Wrong => Refusal.Of("Storefront.CodeWrong", "That code is not right."),
            _ => Refusal.Of("Storefront.NoCode", "There is no code waiting for this phone: it was used, replaced or tried too often. Ask for a new one."),
        };
        if (refusal is not null)
            return StorefrontProblems.Invalid(http, "code", refusal);
        var customer = await customers.FindOrCreateAsync(merchant.Id, phone, ct);
        return TypedResults.SignIn(StorefrontAuth.PrincipalFor(customer), authenticationScheme: StorefrontAuth.Scheme);
    }

    /// <summary>The serialized list, reused per merchant for a few seconds (<see cref="StorefrontPlansCache"/>).</summary>
    private static async Task<IResult> PlansAsync(StorefrontPlansCache plans, CancellationToken ct) =>
        TypedResults.Bytes(await plans.PlansJsonAsync(ct), "application/json; charset=utf-8");

    private static async Task<IResult> PlanAsync(Guid planId, HttpContext http, StorefrontQueries queries, CancellationToken ct) =>
        (await queries.PlansAsync(planId, ct)) is [var plan] ? TypedResults.Ok(plan) : PlanNotFound(http);

    private static IResult PlanNotFound(HttpContext http) =>
        StorefrontProblems.NotFound(http, Refusal.Of("Storefront.PlanNotFound", "There is no such plan open to join."));

    private static async Task<IResult> JoinAsync(Guid planId, JoinRequest request, HttpContext http, StorefrontQueries queries,
        StorefrontCustomers customers, MembershipEnrolment enrolment, CancellationToken ct)
    {
        if (CustomerId(http) is not { } customerId || await customers.FindAsync(customerId, ct) is not { } customer)
            return CustomerNotFound(http);
        if (request.ChannelId is not { } channelId || channelId == Guid.Empty)
            return StorefrontProblems.Invalid(http, "channelId", Refusal.Of("Storefront.ChannelRequired", "Say which join channel to join through."));
        if (request.InviteCode is { Length: > 64 })
            return StorefrontProblems.Invalid(http, "inviteCode", Refusal.Of("Enrolment.InviteCodeWrong", "That invite code does not open this tier."));
        if (await queries.ChannelAsync(planId, channelId, ct) is not { } found)
            return StorefrontProblems.NotFound(http, Refusal.Of("Storefront.ChannelNotFound", "That plan has no such join channel."));

        var result = await enrolment.EnrolAsync(new EnrolRequest(planId, found.Tier.Id, channelId,
            new CustomerDetails(customer.Phone, customer.Name), EnrolmentSource.SelfService, request.InviteCode), ct);
        if (!result.Succeeded)
        {
            var why = result.Refusal!;
            return why.Code switch
            {
                "Enrolment.InviteCodeWrong" => StorefrontProblems.Invalid(http, "inviteCode", why),
                "Enrolment.PlanNotFound" => PlanNotFound(http),
                _ => StorefrontProblems.Problem(http, StatusCodes.Status422UnprocessableEntity, why),
            };
        }
        var membership = (await queries.MembershipsAsync(customerId, result.MembershipId, ct)).Single();
        return result.Outcome == EnrolOutcome.Enrolled
            ? TypedResults.Created($"{StorefrontSetup.BasePath}/{MerchantOf(http).Code}/me/memberships/{membership.Id}", membership)
            : TypedResults.Ok(membership);
    }

    private static async Task<IResult> MyMembershipsAsync(HttpContext http, StorefrontQueries queries, CancellationToken ct) =>
        CustomerId(http) is { } customerId ? TypedResults.Ok(await queries.MembershipsAsync(customerId, null, ct)) : CustomerNotFound(http);

    private static async Task<IResult> MyMembershipAsync(Guid membershipId, HttpContext http, StorefrontQueries queries, CancellationToken ct) =>
        CustomerId(http) is { } customerId && (await queries.MembershipsAsync(customerId, membershipId, ct)) is [var membership]
            ? TypedResults.Ok(membership)
            : StorefrontProblems.NotFound(http, Refusal.Of("Storefront.MembershipNotFound", "You have no such membership."));

    private static async Task<IResult> MyCouponsAsync(HttpContext http, StorefrontQueries queries, CancellationToken ct) =>
        CustomerId(http) is { } customerId ? TypedResults.Ok(await queries.CouponsAsync(customerId, ct)) : CustomerNotFound(http);

    internal static Guid? CustomerId(HttpContext http) => StorefrontAuth.CustomerOf(http.User, MerchantOf(http).Id);

    internal static IResult CustomerNotFound(HttpContext http) =>
        StorefrontProblems.NotFound(http, Refusal.Of("Storefront.CustomerNotFound", "That customer is not known to this merchant."));
}
