using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MerchantConsole.Data;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Features.Coupons;
using Microsoft.Extensions.DependencyInjection;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Tests.TestSupport;
using Microsoft.EntityFrameworkCore;
using static MerchantConsole.Tests.Features.Storefront.StorefrontClient;

namespace MerchantConsole.Tests.Features.Storefront;

[Collection(AppCollection.Name)]
public sealed class StorefrontApiHttpTests(AppFixture app)
{
    [Fact]
    public async Task ACodeFromTheSandboxSmsSignsANewCustomerInAndCreatesThemWithTheNormalisedPhone()
    {
        var phone = NewPhone();
        using var client = app.NewClient();
        var typed = $"+86 {phone[..3]}-{phone[3..7]}-{phone[7..]}";

        var sent = await RequestCodeAsync(client, Aroma, typed);
        var code = await SentCodeAsync(app, Aroma, phone);
        var token = await RequestTokenAsync(client, Aroma, typed, code);

        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var body = await JsonAsync(token);
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("accessToken").GetString()));
        var merchantId = await MerchantIdAsync(app, Aroma);
        await using var db = ForMerchant(app, merchantId);
        Assert.Equal(1, await db.Customers.CountAsync(c => c.Phone == phone));

        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", body.GetProperty("accessToken").GetString());
        var mine = await client.GetAsync(Url(Aroma, "me/memberships"));
        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(0, (await JsonAsync(mine)).GetArrayLength());
    }

    [Fact]
    public async Task AWrongCodeIsRefusedNamingTheCodeFieldAndAUsedCodeDoesNotWorkTwice()
    {
        var phone = NewPhone();
        using var client = app.NewClient();
        await RequestCodeAsync(client, Aroma, phone);
        var code = (await SentCodeAsync(app, Aroma, phone))!;
        var wrongCode = code == "000000" ? "111111" : "000000";

        var wrong = await RequestTokenAsync(client, Aroma, phone, wrongCode);
        var right = await RequestTokenAsync(client, Aroma, phone, code);
        var again = await RequestTokenAsync(client, Aroma, phone, code);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        var problem = await JsonAsync(wrong);
        Assert.Equal("Storefront.CodeWrong", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("code", out _));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Equal("Storefront.NoCode", (await JsonAsync(again)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMissingOrMalformedPhoneIsAValidationProblemNamingThePhoneField()
    {
        using var client = app.NewClient();

        var missing = await client.PostAsJsonAsync(Url(Aroma, "auth/code"), new { });
        var malformed = await RequestCodeAsync(client, Aroma, new string('x', 10_000));
        var notJson = await client.PostAsync(Url(Aroma, "auth/code"), new StringContent("{\"phone\": 12", System.Text.Encoding.UTF8, "application/json"));

        foreach (var response in new[] { missing, malformed })
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("phone", out _));
        }
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal("application/problem+json", notJson.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AFourthCodeForOnePhoneWithinTheWindowIsRefusedWith429AndRetryAfter()
    {
        var phone = NewPhone();
        using var client = app.NewClient();

        var allowed = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
            allowed.Add((await RequestCodeAsync(client, Aroma, phone)).StatusCode);
        var refused = await RequestCodeAsync(client, Aroma, phone);
        var otherPhone = await RequestCodeAsync(client, Aroma, NewPhone());

        Assert.All(allowed, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("Storefront.TooManyRequests", (await JsonAsync(refused)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Accepted, otherPhone.StatusCode);
    }

    [Fact]
    public async Task CodeRequestsFromOneAddressBeyondTheLimitAreRefusedWith429AndRetryAfter()
    {
        // A merchant of its own, so the per-merchant, per-address window of the shared app's other tests is untouched.
        var code = "sf-ip-" + Guid.NewGuid().ToString("N")[..8];
        await using (var db = app.Factory.CreateUnscopedContext())
        {
            db.Merchants.Add(Merchant.Create("IP limit", code, "Asia/Shanghai", "CNY", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
        using var client = app.NewClient();
        var limit = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MerchantConsole.Features.Storefront.StorefrontOptions>>().Value.CodesPerIp;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < limit; i++)
            statuses.Add((await RequestCodeAsync(client, code, NewPhone())).StatusCode);
        var refused = await RequestCodeAsync(client, code, NewPhone());

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Accepted, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnUnknownMerchantCodeIsANotFoundProblem()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync(Url("no-such-merchant", "plans"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Storefront.MerchantNotFound", (await JsonAsync(response)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task PlansListOnlyTheActivePlansOfThatMerchantWithTiersChannelsAndFeed()
    {
        var aromaId = await MerchantIdAsync(app, Aroma);
        var draftName = "Draft " + Guid.NewGuid().ToString("N")[..8];
        await using (var db = ForMerchant(app, aromaId))
        {
            db.MembershipPlans.Add(MembershipPlan.Create(aromaId, draftName, null, "CNY", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync();
        }
        using var client = app.NewClient();

        var response = await client.GetAsync(Url(Aroma, "plans"));
        var plans = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var ids = plans.EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.NotEmpty(ids);
        Assert.DoesNotContain(plans.EnumerateArray(), p => p.GetProperty("name").GetString() == draftName);
        await using (var db = app.Factory.CreateUnscopedContext())
        {
            var listed = await db.MembershipPlans.IgnoreQueryFilters().Where(p => ids.Contains(p.Id)).ToListAsync();
            Assert.Equal(ids.Count, listed.Count);
            Assert.All(listed, p => Assert.Equal(PlanStatus.Active, p.Status));
            Assert.All(listed, p => Assert.Equal(aromaId, p.MerchantId));
        }
        var first = plans[0];
        Assert.True(first.GetProperty("tiers").GetArrayLength() > 0);
        Assert.Equal(JsonValueKind.Array, first.GetProperty("feed").ValueKind);
        Assert.Equal(JsonValueKind.Array, first.GetProperty("benefits").ValueKind);
        var (_, channelId) = await FreeChannelAsync(client, Aroma);
        Assert.NotEqual(Guid.Empty, channelId);
    }

    [Fact]
    public async Task JoiningAFreeChannelTwiceReturnsTheSameMembership()
    {
        var phone = NewPhone();
        using var client = await SignedInAsync(app, Aroma, phone);
        var (planId, channelId) = await FreeChannelAsync(client, Aroma);

        var first = await client.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { channelId });
        var second = await client.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { channelId });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var joined = await JsonAsync(first);
        Assert.Equal(joined.GetProperty("id").GetGuid(), (await JsonAsync(second)).GetProperty("id").GetGuid());
        Assert.Matches("^88[0-9]{10}$", joined.GetProperty("cardNumber").GetString());
        Assert.Equal(JsonValueKind.Object, joined.GetProperty("cardFace").GetProperty("design").ValueKind);
        await using var db = ForMerchant(app, await MerchantIdAsync(app, Aroma));
        var customer = await db.Customers.SingleAsync(c => c.Phone == phone);
        var memberships = await db.Memberships.Where(m => m.CustomerId == customer.Id).ToListAsync();
        var membership = Assert.Single(memberships);
        Assert.Equal(planId, membership.PlanId);
        Assert.Equal(channelId, membership.JoinChannelId);
    }

    [Fact]
    public async Task AJoinWithoutAChannelNamesTheFieldAndAnUnknownPlanIsNotFound()
    {
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var (planId, channelId) = await FreeChannelAsync(client, Aroma);

        var noChannel = await client.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { });
        var unknownPlan = await client.PostAsJsonAsync(Url(Aroma, $"plans/{Guid.NewGuid()}/join"), new { channelId });

        Assert.Equal(HttpStatusCode.BadRequest, noChannel.StatusCode);
        Assert.True((await JsonAsync(noChannel)).GetProperty("errors").TryGetProperty("channelId", out _));
        Assert.Equal(HttpStatusCode.NotFound, unknownPlan.StatusCode);
        Assert.Equal("application/problem+json", unknownPlan.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task AnInviteCodeChannelJoinsWithTheRightCodeAndRefusesAWrongOneNamingTheField()
    {
        var aromaId = await MerchantIdAsync(app, Aroma);
        var invite = "VIP" + Random.Shared.Next(1000, 9999);
        Guid planId, channelId;
        await using (var db = ForMerchant(app, aromaId))
        {
            var card = (await db.MembershipPlans.AsNoTracking().FirstAsync(p => p.Status == PlanStatus.Active)).CardTemplateVersionId!.Value;
            var now = DateTimeOffset.UtcNow;
            var plan = MembershipPlan.Create(aromaId, "Invite plan " + Guid.NewGuid().ToString("N")[..6], null, "CNY", now);
            plan.ChooseCardTemplateVersion(card, now);
            var tier = plan.AddTier("VIP", "#222244", UpgradeRule.None, null, TierValidity.Permanent, null, now);
            var channel = plan.AddChannel(tier.Id, JoinChannelType.InviteCode, null, invite, null, now);
            plan.BeginActivation(now);
            plan.MarkProductsPending(now);
            plan.MarkActive(now);
            plan.MarkProductsActive(now);
            db.MembershipPlans.Add(plan);
            await db.SaveChangesAsync();
            (planId, channelId) = (plan.Id, channel.Id);
        }
        using var client = await SignedInAsync(app, Aroma, NewPhone());

        var listed = await JsonAsync(await client.GetAsync(Url(Aroma, $"plans/{planId}")));
        var wrong = await client.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { channelId, inviteCode = "NOPE" });
        var right = await client.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { channelId, inviteCode = invite.ToLowerInvariant() });

        var listedChannel = listed.GetProperty("tiers")[0].GetProperty("channels")[0];
        Assert.True(listedChannel.GetProperty("needsInviteCode").GetBoolean());
        Assert.DoesNotContain(invite, listed.GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.True((await JsonAsync(wrong)).GetProperty("errors").TryGetProperty("inviteCode", out _));
        Assert.Equal(HttpStatusCode.Created, right.StatusCode);
        Assert.Equal(planId, (await JsonAsync(right)).GetProperty("planId").GetGuid());
    }

    [Fact]
    public async Task ACustomerBeyondTheirRequestsPerMinuteIsAnswered429WithRetryAfter()
    {
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var limit = app.Factory.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MerchantConsole.Features.Storefront.StorefrontOptions>>().Value.RequestsPerMinute;

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < limit; i++)
            statuses.Add((await client.GetAsync(Url(Aroma, "me/coupons"))).StatusCode);
        var refused = await client.GetAsync(Url(Aroma, "me/coupons"));
        using var other = await SignedInAsync(app, Aroma, NewPhone());
        var otherCustomer = await other.GetAsync(Url(Aroma, "me/coupons"));

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
        Assert.Equal("Storefront.TooManyRequests", (await JsonAsync(refused)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, otherCustomer.StatusCode);
    }

    [Fact]
    public async Task MyMembershipsAndCouponsAreOnlyMine()
    {
        using var alice = await SignedInAsync(app, Aroma, NewPhone());
        using var bob = await SignedInAsync(app, Aroma, NewPhone());
        var (planId, channelId) = await FreeChannelAsync(alice, Aroma);
        var joined = await JsonAsync(await alice.PostAsJsonAsync(Url(Aroma, $"plans/{planId}/join"), new { channelId }));
        var aliceMembership = joined.GetProperty("id").GetGuid();
        var issued = await IssueDemoCouponAsync(aliceMembership);

        var aliceList = await JsonAsync(await alice.GetAsync(Url(Aroma, "me/memberships")));
        var bobList = await JsonAsync(await bob.GetAsync(Url(Aroma, "me/memberships")));
        var bobReadsAlices = await bob.GetAsync(Url(Aroma, $"me/memberships/{aliceMembership}"));
        var aliceReadsHers = await alice.GetAsync(Url(Aroma, $"me/memberships/{aliceMembership}"));
        var aliceCoupons = await JsonAsync(await alice.GetAsync(Url(Aroma, "me/coupons")));
        var bobCoupons = await JsonAsync(await bob.GetAsync(Url(Aroma, "me/coupons")));

        Assert.Equal(aliceMembership, Assert.Single(aliceList.EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(0, bobList.GetArrayLength());
        Assert.Equal(HttpStatusCode.NotFound, bobReadsAlices.StatusCode);
        Assert.Equal(HttpStatusCode.OK, aliceReadsHers.StatusCode);
        // The demo plan's welcome benefit may also have issued Alice its coupon on joining: every one listed is hers.
        var aliceCouponList = aliceCoupons.EnumerateArray().ToList();
        Assert.All(aliceCouponList, c => Assert.Equal(aliceMembership, c.GetProperty("membershipId").GetGuid()));
        Assert.Contains(aliceCouponList, c => c.GetProperty("code").GetString() == issued);
        Assert.Equal(0, bobCoupons.GetArrayLength());
    }

    /// <summary>Issues a coupon of the demo coupon activity to a membership through the real issuer; returns its code.</summary>
    private async Task<string> IssueDemoCouponAsync(Guid membershipId)
    {
        var aromaId = await MerchantIdAsync(app, Aroma);
        await using var scope = app.Factory.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<MerchantScope>().UseMerchant(aromaId, "test");
        Guid activityId;
        await using (var db = ForMerchant(app, aromaId))
            // The demo welcome coupons' activity (other tests add activities with small budgets of their own).
            activityId = (await db.Coupons.AsNoTracking().Where(c => c.IssueKey.StartsWith("demo:")).OrderBy(c => c.Id).FirstAsync()).CouponActivityId;
        var result = await scope.ServiceProvider.GetRequiredService<CouponIssuer>()
            .IssueAsync(new IssueRequest(activityId, membershipId, "test:" + Guid.NewGuid().ToString("N")), DateTimeOffset.UtcNow);
        Assert.True(result.Coupon is not null, result.Refusal?.English);
        return result.Coupon!.Code;
    }

    [Fact]
    public async Task ATokenOfOneMerchantNeverReadsAnotherMerchantsCustomers()
    {
        using var client = await SignedInAsync(app, Aroma, NewPhone());
        var (orchardPlan, orchardChannel) = await FreeChannelAsync(client, Orchard);

        var memberships = await client.GetAsync(Url(Orchard, "me/memberships"));
        var coupons = await client.GetAsync(Url(Orchard, "me/coupons"));
        var join = await client.PostAsJsonAsync(Url(Orchard, $"plans/{orchardPlan}/join"), new { channelId = orchardChannel });

        foreach (var response in new[] { memberships, coupons, join })
        {
            Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Unauthorized, response.StatusCode.ToString());
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        var orchardId = await MerchantIdAsync(app, Orchard);
        var since = DateTimeOffset.UtcNow.AddMinutes(-5);
        await using var db = ForMerchant(app, orchardId);
        Assert.False(await db.Memberships.AnyAsync(m => m.JoinChannelId == orchardChannel && m.JoinedAt > since));
    }

    [Fact]
    public async Task WithoutATokenMyEndpointsAnswer401ProblemDetailsAndABadTokenToo()
    {
        using var anonymous = app.NewClient();
        using var forged = app.NewClient();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");

        var none = await anonymous.GetAsync(Url(Aroma, "me/memberships"));
        var bad = await forged.GetAsync(Url(Aroma, "me/coupons"));

        foreach (var response in new[] { none, bad })
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Storefront.SignInRequired", (await JsonAsync(response)).GetProperty("code").GetString());
        }
    }

    [Theory]
    [InlineData("zh-CN", "请先用手机号和验证码登录", "请求无效")]
    [InlineData("en", "Sign in with your phone", "The request is not valid")]
    public async Task TheProblemsWrittenAfterTheEndpointAreInTheRequestsLanguageToo(string language, string signInFirst, string bodyInvalid)
    {
        using var client = app.NewClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var noToken = await client.GetAsync(Url(Aroma, "me/orders"));
        var brokenBody = await client.PostAsync(Url(Aroma, "auth/code"), new StringContent("{\"phone\":", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, noToken.StatusCode);
        Assert.StartsWith(signInFirst, (await JsonAsync(noToken)).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, brokenBody.StatusCode);
        var problem = await JsonAsync(brokenBody);
        Assert.Equal("Storefront.BodyInvalid", problem.GetProperty("code").GetString());
        Assert.StartsWith(bodyInvalid, problem.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task AStaffCookieIsNotACustomerToken()
    {
        using var staff = await app.SignedInClientAsync("admin@aroma.demo");

        var response = await staff.GetAsync(Url(Aroma, "me/memberships"));
        var console = await staff.GetAsync("/members");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, console.StatusCode);
    }

    [Fact]
    public async Task TheOpenApiDocumentListsTheStorefrontEndpoints()
    {
        using var client = app.NewClient();

        var response = await client.GetAsync("/openapi/storefront.json");
        var document = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        foreach (var path in new[] { "auth/code", "auth/token", "plans", "plans/{planId}", "plans/{planId}/join", "me/memberships", "me/coupons" })
            Assert.Contains("/api/storefront/v1/{merchantCode}/" + path, paths);
        Assert.DoesNotContain(paths, p => !p.StartsWith("/api/storefront/v1/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheApiReferencePageLoadsUnderItsOwnCspAndTheConsoleKeepsItsStrictOne()
    {
        using var client = app.NewClient();

        var page = await client.GetAsync("/scalar/storefront");
        var html = await page.Content.ReadAsStringAsync();
        var login = await client.GetAsync("/Account/Login");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<script", html);
        var csp = string.Join(";", page.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'self' 'unsafe-inline'", csp);
        Assert.Contains("frame-ancestors 'none'", csp);
        var script = System.Text.RegularExpressions.Regex.Match(html, "<script[^>]+src=\"([^\"]+)\"").Groups[1].Value;
        Assert.NotEqual("", script);
        var scriptUrl = new Uri(new Uri(app.BaseAddress + "/scalar/storefront"), script);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(scriptUrl)).StatusCode);
        var consoleCsp = string.Join(";", login.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("'nonce-", consoleCsp);
        Assert.DoesNotContain("'unsafe-inline'", consoleCsp.Split(';').Single(d => d.Trim().StartsWith("script-src", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task SupportSeesTheSandboxCodesPerMerchantAndMerchantStaffDoNot()
    {
        var phone = NewPhone();
        using (var client = app.NewClient())
            await RequestCodeAsync(client, Orchard, phone);
        var code = await SentCodeAsync(app, Orchard, phone);
        using var support = await app.SignedInClientAsync("support@merchantconsole.demo");
        using var admin = await app.SignedInClientAsync("admin@orchard.demo");

        var html = await support.GetStringAsync("/support/sms");
        var refused = await admin.GetAsync("/support/sms");

        Assert.Contains("data-testid=\"sms-fresh-orchard\"", html);
        Assert.Contains(phone, html);
        Assert.Contains(code!, html);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
    }
}
